from django.urls import path, re_path

from channels import views

app_name = "channels"

urlpatterns = [
    path("", views.channel_list, name="list"),
    path("new/", views.channel_create, name="create"),
    re_path(r"^mix\.(?P<fmt>csv|xlsx)$", views.mix_export, name="mix_export"),
    path("<int:pk>/", views.channel_detail, name="detail"),
    path("<int:pk>/edit/", views.channel_edit, name="edit"),
    path("<int:pk>/delete/", views.channel_delete, name="delete"),
    path("<int:pk>/merge/", views.channel_merge, name="merge"),
    path("mix/<int:persona_pk>/add/", views.usage_add, name="usage_add"),
    path("usage/<int:pk>/edit/", views.usage_edit, name="usage_edit"),
    path("usage/<int:pk>/share/", views.usage_share, name="usage_share"),
    path("usage/<int:pk>/stage/", views.usage_stage, name="usage_stage"),
    path("usage/<int:pk>/remove/", views.usage_remove, name="usage_remove"),
]

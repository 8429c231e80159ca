from django.urls import include, path, re_path

from channels import views
from pacekeeper.routes import actions

app_name = "channels"

# A persona's channel mix: its usages, each one channel of the catalog.
mix = [
    path("mix/<int:persona_pk>/add/", views.usage_add, name="usage_add"),
    *actions(
        "usage/<int:pk>/",
        views,
        "usage",
        ["edit", "share", "stage", "archive", "restore", "remove", "history"],
        named=True,
    ),
]

urlpatterns = [
    path("", views.channel_list, name="list"),
    path("new/", views.channel_create, name="create"),
    re_path(r"^mix\.(?P<fmt>csv|xlsx)$", views.mix_export, name="mix_export"),
    path("<int:pk>/", views.channel_detail, name="detail"),
    *actions("<int:pk>/", views, "channel", ["edit", "archive", "restore", "delete", "merge"]),
    path("<int:pk>/history/", views.channel_history, name="channel_history"),
    path("", include(mix)),
]

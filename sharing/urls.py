"""Sharing inside a workspace: the links members manage and the one-pager they print."""

from django.urls import path

from sharing import views

app_name = "sharing"

urlpatterns = [
    path("shared-links/", views.share_list, name="list"),
    path("shared-links/new/", views.share_create, name="create"),
    path("shared-links/<int:pk>/revoke/", views.share_revoke, name="revoke"),
    path("personas/<int:pk>/one-pager/", views.persona_one_pager, name="one_pager"),
    path("personas/<int:pk>/one-pager.pdf", views.persona_one_pager_pdf, name="one_pager_pdf"),
]

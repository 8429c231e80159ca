"""Sharing inside a workspace: the links members manage, the one-pager and the PDFs."""

from django.urls import path

from sharing import views

app_name = "sharing"

urlpatterns = [
    path("shared-links/", views.share_list, name="list"),
    path("shared-links/new/", views.share_create, name="create"),
    path("shared-links/<int:pk>/revoke/", views.share_revoke, name="revoke"),
    path("personas/<int:pk>/one-pager/", views.persona_one_pager, name="one_pager"),
    path("personas/<int:pk>/one-pager.pdf", views.persona_one_pager_pdf, name="one_pager_pdf"),
    path("plans/<int:pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("plans/<int:pk>/dashboard.pdf", views.dashboard_pdf, name="dashboard_pdf"),
]

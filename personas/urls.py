from django.urls import path, re_path

from pacekeeper.routes import actions
from personas import views

app_name = "personas"

urlpatterns = [
    path("", views.persona_list, name="list"),
    path("new/", views.persona_create, name="create"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.persona_export, name="export"),
    path("<int:pk>/", views.persona_detail, name="detail"),
    path("<int:pk>/edit/<slug:section>/", views.persona_edit_section, name="edit_section"),
    path("<int:pk>/evidence/", views.persona_note_add, name="note_add"),
    path("<int:pk>/evidence/<int:note_pk>/delete/", views.persona_note_delete, name="note_delete"),
    *actions(
        "<int:pk>/",
        views,
        "persona",
        ["use_suggestion", "mark_reviewed", "archive", "restore", "duplicate", "delete", "history"],
    ),
]

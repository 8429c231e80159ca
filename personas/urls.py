from django.urls import include, path, re_path

from pacekeeper.routes import actions
from personas import views

app_name = "personas"

# One persona, under /personas/<pk>/.
persona = [
    path("", views.persona_detail, name="detail"),
    path("edit/<slug:section>/", views.persona_edit_section, name="edit_section"),
    path("evidence/", views.persona_note_add, name="note_add"),
    path("evidence/<int:note_pk>/delete/", views.persona_note_delete, name="note_delete"),
    *actions(
        "",
        views,
        "persona",
        ["use_suggestion", "mark_reviewed", "archive", "restore", "duplicate", "delete", "history"],
    ),
]

urlpatterns = [
    path("", views.persona_list, name="list"),
    path("new/", views.persona_create, name="create"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.persona_export, name="export"),
    path("<int:pk>/", include(persona)),
]

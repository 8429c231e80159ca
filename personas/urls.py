from django.urls import path, re_path

from personas import views

app_name = "personas"

urlpatterns = [
    path("", views.persona_list, name="list"),
    path("new/", views.persona_create, name="create"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.persona_export, name="export"),
    path("<int:pk>/", views.persona_detail, name="detail"),
    path("<int:pk>/edit/<slug:section>/", views.persona_edit_section, name="edit_section"),
    path("<int:pk>/use-suggestion/", views.persona_use_suggestion, name="use_suggestion"),
    path("<int:pk>/mark-reviewed/", views.persona_mark_reviewed, name="mark_reviewed"),
    path("<int:pk>/evidence/", views.persona_note_add, name="note_add"),
    path("<int:pk>/evidence/<int:note_pk>/delete/", views.persona_note_delete, name="note_delete"),
    path("<int:pk>/archive/", views.persona_archive, name="archive"),
    path("<int:pk>/restore/", views.persona_restore, name="restore"),
    path("<int:pk>/duplicate/", views.persona_duplicate, name="duplicate"),
    path("<int:pk>/delete/", views.persona_delete, name="delete"),
    path("<int:pk>/history/", views.persona_history, name="history"),
]

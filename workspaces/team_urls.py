from django.urls import path

from workspaces import team_views as views

app_name = "team"

urlpatterns = [
    path("members/", views.members, name="members"),
    path("members/invite/", views.invite, name="invite"),
    path("members/<int:pk>/role/", views.member_role, name="member_role"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("leave/", views.leave, name="leave"),
    path("settings/", views.workspace_settings, name="settings"),
    path("settings/audit/", views.audit, name="audit"),
    path("settings/delete/", views.workspace_delete, name="delete"),
    path("settings/backup.json", views.backup_export, name="backup_export"),
    path("settings/backup/import/", views.backup_import, name="backup_import"),
]

from django.urls import include, path

from pacekeeper.routes import actions
from workspaces import import_views
from workspaces import team_views as views

app_name = "team"

# The workspace's settings, for owners.
settings = [
    path("", views.workspace_settings, name="settings"),
    path("audit/", views.audit, name="audit"),
    path("background/", import_views.jobs, name="jobs"),
    path("delete/", views.workspace_delete, name="delete"),
    path("backup.json", views.backup_export, name="backup_export"),
    path("backup/import/", views.backup_import, name="backup_import"),
]

urlpatterns = [
    path("members/", views.members, name="members"),
    path("members/invite/", views.invite, name="invite"),
    path("members/invite-link/", views.invite_link, name="invite_link"),
    *actions("members/<int:pk>/", views, "member", ["role", "remove"], named=True),
    *actions("invitations/<int:pk>/", views, "invitation", ["resend", "revoke"], named=True),
    path("leave/", views.leave, name="leave"),
    path("settings/", include(settings)),
]

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from pacekeeper import views
from pacekeeper.api import api_urls
from workspaces.team_views import invitation_accept
from workspaces.views import home

workspace_patterns = [
    path("", include("planning.urls")),
    path("personas/", include("personas.urls")),
    path("channels/", include("channels.urls")),
    path("experiments/", include("experiments.urls")),
    path("", include("workspaces.team_urls")),
    path("imports/", include("workspaces.import_urls")),
    path("activity/", include("workspaces.activity_urls")),
    path("inbox/", include("notifications.inbox_urls")),
    path("digest/", include("notifications.digest_urls")),
    path("", include("sharing.urls")),
]

urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("workspaces/", include("workspaces.urls")),
    path("notifications/", include("notifications.urls")),
    path("invite/<str:token>/", invitation_accept, name="invitation_accept"),
    path("w/<slug:workspace_slug>/", include(workspace_patterns)),
    path("s/", include("sharing.public_urls")),
    path("api/v1/", api_urls()),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler400 = "pacekeeper.views.bad_request"
handler403 = "pacekeeper.views.permission_denied"
handler404 = "pacekeeper.views.page_not_found"
handler500 = "pacekeeper.views.server_error"

from django.urls import path, re_path

from workspaces import import_views as views

app_name = "imports"

urlpatterns = [
    path("<slug:kind>/", views.upload, name="upload"),
    re_path(r"^(?P<kind>[a-z]+)/template\.(?P<fmt>csv|xlsx)$", views.template, name="template"),
    path("batch/<int:pk>/", views.preview, name="preview"),
    path("batch/<int:pk>/import/", views.commit, name="commit"),
    path("batch/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("job/<int:pk>/", views.job, name="job"),
    path("job/<int:pk>/download/", views.job_download, name="job_download"),
]

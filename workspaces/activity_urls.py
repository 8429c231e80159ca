from django.urls import path

from workspaces import history_views as views

app_name = "activity"

urlpatterns = [
    path("", views.activity_feed, name="feed"),
    path("<int:pk>/undo/", views.activity_undo, name="undo"),
]

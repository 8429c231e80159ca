from django.urls import include, path, re_path

from experiments import views
from pacekeeper.routes import actions

app_name = "experiments"

# One experiment, under /experiments/<pk>/.
experiment = [
    path("", views.experiment_detail, name="detail"),
    *actions(
        "",
        views,
        "experiment",
        ["edit", "move", "conclude", "graduate", "archive", "restore", "delete", "history"],
    ),
    path("results/", views.result_add, name="result_add"),
    path("results/<int:result_pk>/delete/", views.result_delete, name="result_delete"),
]

urlpatterns = [
    path("", views.experiment_board, name="board"),
    path("table/", views.experiment_table, name="table"),
    path("new/", views.experiment_create, name="create"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.experiment_export, name="export"),
    path("<int:pk>/", include(experiment)),
]

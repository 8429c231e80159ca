from django.urls import path, re_path

from experiments import views
from pacekeeper.routes import actions

app_name = "experiments"

urlpatterns = [
    path("", views.experiment_board, name="board"),
    path("table/", views.experiment_table, name="table"),
    path("new/", views.experiment_create, name="create"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.experiment_export, name="export"),
    path("<int:pk>/", views.experiment_detail, name="detail"),
    *actions("<int:pk>/", views, "experiment", ["edit", "move", "conclude", "graduate", "delete"]),
    path("<int:pk>/results/", views.result_add, name="result_add"),
    path("<int:pk>/results/<int:result_pk>/delete/", views.result_delete, name="result_delete"),
]

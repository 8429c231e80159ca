from django.urls import path, re_path

from experiments import views

app_name = "experiments"

urlpatterns = [
    path("", views.experiment_board, name="board"),
    path("table/", views.experiment_table, name="table"),
    path("new/", views.experiment_create, name="create"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.experiment_export, name="export"),
    path("<int:pk>/", views.experiment_detail, name="detail"),
    path("<int:pk>/edit/", views.experiment_edit, name="edit"),
    path("<int:pk>/move/", views.experiment_move, name="move"),
    path("<int:pk>/conclude/", views.experiment_conclude, name="conclude"),
    path("<int:pk>/graduate/", views.experiment_graduate, name="graduate"),
    path("<int:pk>/results/", views.result_add, name="result_add"),
    path("<int:pk>/results/<int:result_pk>/delete/", views.result_delete, name="result_delete"),
    path("<int:pk>/delete/", views.experiment_delete, name="delete"),
]

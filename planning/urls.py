from django.urls import path

from planning import views

app_name = "planning"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("plans/", views.plan_list, name="plan_list"),
]

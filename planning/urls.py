from django.urls import path, re_path

from pacekeeper.routes import actions
from planning import actual_views, views

app_name = "planning"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/ratios/", views.plan_save_whatif, name="plan_save_whatif"),
    *actions(
        "plans/<int:pk>/",
        views,
        "plan",
        ["edit", "submit", "approve", "return", "copy", "compare", "delete"],
        named=True,
    ),
    re_path(
        r"^plans/(?P<pk>[0-9]+)/export\.(?P<fmt>csv|xlsx)$", views.plan_export, name="plan_export"
    ),
    path("plans/<int:pk>/actuals/add/", actual_views.actual_add, name="actual_add"),
    path("actuals/", actual_views.actual_list, name="actual_list"),
    re_path(
        r"^actuals/export\.(?P<fmt>csv|xlsx)$", actual_views.actual_export, name="actual_export"
    ),
    *actions("actuals/<int:pk>/", actual_views, "actual", ["edit", "delete"], named=True),
]

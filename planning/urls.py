from django.urls import include, path, re_path

from pacekeeper.routes import actions
from planning import actual_views, views

app_name = "planning"

# One plan, under /plans/<pk>/.
plan = [
    path("", views.plan_detail, name="plan_detail"),
    path("ratios/", views.plan_save_whatif, name="plan_save_whatif"),
    path("balance/", views.plan_balance, name="plan_balance"),
    *actions(
        "",
        views,
        "plan",
        [
            "edit",
            "submit",
            "approve",
            "return",
            "copy",
            "compare",
            "archive",
            "restore",
            "delete",
            "history",
        ],
        named=True,
    ),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.plan_export, name="plan_export"),
    path("actuals/add/", actual_views.actual_add, name="actual_add"),
]

# Effort recorded against the plans.
recorded = [
    path("", actual_views.actual_list, name="actual_list"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", actual_views.actual_export, name="actual_export"),
    *actions("<int:pk>/", actual_views, "actual", ["edit", "delete", "history"], named=True),
]

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    re_path(r"^dashboard\.(?P<fmt>csv|xlsx)$", views.dashboard_export, name="dashboard_export"),
    path("trends/", views.trends, name="trends"),
    path("signals/help/", views.signals_help, name="signals_help"),
    path("signals/dismiss/", views.signal_dismiss, name="signal_dismiss"),
    path("signals/dismissed/", views.signals_dismissed, name="signals_dismissed"),
    path("signals/dismissed/<int:pk>/restore/", views.signal_restore, name="signal_restore"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", include(plan)),
    path("actuals/", include(recorded)),
]

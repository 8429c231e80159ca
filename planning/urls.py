from django.urls import path, re_path

from planning import actual_views, views

app_name = "planning"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/ratios/", views.plan_save_whatif, name="plan_save_whatif"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/return/", views.plan_return, name="plan_return"),
    path("plans/<int:pk>/copy/", views.plan_copy, name="plan_copy"),
    path("plans/<int:pk>/compare/", views.plan_compare, name="plan_compare"),
    re_path(
        r"^plans/(?P<pk>[0-9]+)/export\.(?P<fmt>csv|xlsx)$", views.plan_export, name="plan_export"
    ),
    path("plans/<int:pk>/delete/", views.plan_delete, name="plan_delete"),
    path("plans/<int:pk>/actuals/add/", actual_views.actual_add, name="actual_add"),
    path("actuals/", actual_views.actual_list, name="actual_list"),
    re_path(
        r"^actuals/export\.(?P<fmt>csv|xlsx)$", actual_views.actual_export, name="actual_export"
    ),
    path("actuals/<int:pk>/edit/", actual_views.actual_edit, name="actual_edit"),
    path("actuals/<int:pk>/delete/", actual_views.actual_delete, name="actual_delete"),
]

"""Views for effort actually spent: quick entry on the plan page, the list, edits, export."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import retarget

from pacekeeper.htmx import render_page, see_other, wants_fragment
from planning import actuals
from planning.forms import ActualFilterForm, ActualForm
from planning.models import Actual, Plan, get_plan
from planning.views import _plan_context
from workspaces.access import WorkspaceRequest, workspace_view
from workspaces.exports import export_view
from workspaces.history_views import history_page
from workspaces.models import Workspace
from workspaces.roles import Action
from workspaces.versioning import versioned_edit

PLAN_PAGE = "planning/plan_detail.html"


def _list_of(plan: Plan) -> str:
    """The recorded effort list, showing one plan's."""
    return reverse("planning:actual_list", args=[plan.workspace.slug]) + f"?plan={plan.pk}"


def get_actual(workspace: Workspace, pk: int) -> Actual:
    return (
        Actual.objects.in_workspace(workspace)
        .select_related("plan", "channel", "experiment", "persona", "updated_by")
        .get_or_404(pk=pk)
    )


@require_POST
@workspace_view(Action.EDIT)
def actual_add(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """Quick entry on the plan page: the figures update in place, the form clears."""
    plan = get_plan(workspace, pk)
    form = ActualForm(request.POST, plan=plan)
    if not form.is_valid():
        if wants_fragment(request):
            context, _ = _plan_context(request, plan)
            context["actual_form"] = form
            response = render_page(request, PLAN_PAGE, context, partial="record-effort", status=422)
            return retarget(response, "#record-effort")
        context, _ = _plan_context(request, plan)
        context["actual_form"] = form
        return render_page(request, PLAN_PAGE, context, status=422)
    actual = actuals.actual_save(actual=form.save(commit=False), plan=plan, user=request.user)
    message = f"{actual.amount:,.2f} {workspace.effort_unit} on {actual.target_name} recorded."
    if wants_fragment(request):
        context, _ = _plan_context(request, plan)
        context["recorded"] = message
        html = render_to_string(f"{PLAN_PAGE}#allocation", context, request)
        html += render_to_string(f"{PLAN_PAGE}#record-effort", context | {"oob": True}, request)
        return HttpResponse(html)
    messages.success(request, message)
    return see_other(request, f"{plan.get_absolute_url()}#record-effort")


@require_GET
@workspace_view()
def actual_list(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    filters = ActualFilterForm(request.GET, workspace=workspace)
    rows = list(
        filters.filter(Actual.objects.in_workspace(workspace))
        .select_related("plan", "channel", "experiment", "persona", "updated_by")
        .order_by("-date", "-pk")[:500]
    )
    total = sum((a.amount for a in rows), start=0)
    context = {"filters": filters, "actuals": rows, "total": total, "capped": len(rows) == 500}
    return render_page(request, "planning/actual_list.html", context, partial="rows")


@require_http_methods(["GET", "POST"])
@workspace_view(Action.EDIT)
def actual_edit(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    actual = get_actual(workspace, pk)
    plan = actual.plan
    edit = versioned_edit(
        request,
        ActualForm,
        actual,
        # The form's "spent on" sets the channel or the experiment.
        lambda form, fields, **saving: actuals.actual_update(
            actual=actual, fields=[*fields, "channel", "experiment"], **saving
        ),
        plan=plan,
    )
    if edit.saved:
        messages.success(request, "The recorded effort is saved.")
        return see_other(request, _list_of(plan))
    context = {"actual": actual, "plan": plan, "form": edit.form, "conflict": edit.conflict}
    return render_page(request, "planning/actual_form.html", context, status=edit.status)


@require_http_methods(["GET", "POST"])
@workspace_view(Action.EDIT)
def actual_delete(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """Remove one record of effort, after a confirmation on its own page."""
    actual = get_actual(workspace, pk)
    if request.method == "POST":
        actuals.actual_delete(actual=actual, user=request.user)
        messages.success(request, f"{actual.amount:,.2f} on {actual.target_name} removed.")
        return see_other(request, _list_of(actual.plan))
    context = {"actual": actual, "plan": actual.plan, "back": _list_of(actual.plan)}
    return render_page(request, "planning/actual_delete.html", context)


# Recorded effort with the list's filters (the query's plan, channel, … and dates).
actual_export = export_view("recorded-effort")


actual_history = history_page("actual", get_actual, back=lambda actual: _list_of(actual.plan))

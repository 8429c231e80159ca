from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from experiments import services
from experiments.forms import (
    OLDER,
    ConcludeForm,
    ExperimentCreateForm,
    ExperimentFilterForm,
    ExperimentForm,
    GraduateForm,
    MoveForm,
    ResultForm,
)
from experiments.insights import (
    EMERGING_THRESHOLD,
    UsagePercents,
    active_usages,
    emerging_over_threshold,
    rising_without_experiment,
)
from experiments.models import (
    Experiment,
    ExperimentResult,
    ExperimentTarget,
    Status,
    get_experiment,
)
from pacekeeper.charts import progress_chart
from pacekeeper.htmx import form_status, render_page, see_other, wants_fragment
from pacekeeper.routes import url_pattern
from workspaces.access import WorkspaceRequest, workspace_view
from workspaces.archive_views import archive_views
from workspaces.exports import export_view
from workspaces.history_views import history_page
from workspaces.models import Workspace
from workspaces.revision import cached_page
from workspaces.roles import Action
from workspaces.versioning import StaleVersion, versioned_edit

# Cards each board column shows: the first in the board's order (ICE score
# unless another sort is chosen), the rest one "Show all" away in the list view.
BOARD_COLUMN_SIZE = 12
# Signals over the board until all are asked for.
BOARD_SIGNALS = 8
# Rows on one page of the list view.
TABLE_PAGE_SIZE = 50


@dataclass
class Column:
    status: str
    label: str
    cards: list[Experiment]
    count: int  # all of this status the filters choose, those folded away left out
    folded: int = 0  # concluded more than a quarter ago
    show_all_url: str = ""
    folded_url: str = ""


def _board_context(workspace: Workspace, data) -> dict:
    filters = ExperimentFilterForm(data, workspace=workspace)
    experiments = list(
        filters.filter(Experiment.objects.for_listing(workspace)).top_per_status(
            filters.ordering(), BOARD_COLUMN_SIZE
        )
    )
    table = reverse("experiments:table", args=[workspace.slug])
    # Each card's links, the patterns reversed once for the whole board.
    detail_url = url_pattern("experiments:detail", workspace.slug)
    move_url = url_pattern("experiments:move", workspace.slug)
    conclude_url = url_pattern("experiments:conclude", workspace.slug)
    for e in experiments:
        e.url, e.move_url, e.conclude_url = detail_url(e.pk), move_url(e.pk), conclude_url(e.pk)
    columns = []
    for status, label in Status.choices:
        rows = [e for e in experiments if e.status == status]
        total, folded = (rows[0].status_total, rows[0].status_folded) if rows else (0, 0)
        columns.append(
            Column(
                status,
                label,
                cards=[e for e in rows if not e.folded],
                count=total - folded,
                folded=folded,
                show_all_url=f"{table}?{filters.query(status=status)}",
                folded_url=f"{table}?{filters.query(status=OLDER)}",
            )
        )
    return {
        "filters": filters,
        "columns": columns,
        "column_size": BOARD_COLUMN_SIZE,
        **_board_signals(workspace, filters, show_all=data.get("signals") == "all"),
        "emerging_threshold": EMERGING_THRESHOLD,
        "any_experiments": bool(experiments) or Experiment.objects.in_workspace(workspace).exists(),
    }


def _board_signals(workspace: Workspace, filters: ExperimentFilterForm, show_all: bool) -> dict:
    """The signals over the board, the emerging channels first: the first few
    unless all are asked for."""
    usages = active_usages(workspace)
    percents = UsagePercents(usages)
    emerging = emerging_over_threshold(workspace, usages, percents=percents)
    rising = rising_without_experiment(workspace, usages, percents=percents)
    total = len(emerging) + len(rising)
    shown = total if show_all else min(total, BOARD_SIGNALS)
    return {
        "emerging": emerging[:shown],
        "rising": rising[: max(0, shown - len(emerging))],
        "signal_count": total,
        "hidden_signals": total - shown,
        "all_signals_query": filters.query(signals="all"),
    }


@require_GET
@workspace_view()
def experiment_board(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    if not wants_fragment(request):
        # The board for these filters comes from the cache until the workspace's data changes.
        return cached_page(
            request, "experiments/board.html", lambda: _board_context(workspace, request.GET)
        )
    context = _board_context(workspace, request.GET)
    return render_page(request, "experiments/board.html", context, partial="board")


@require_GET
@workspace_view()
def experiment_table(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """Experiments with their latest result, channel, owner and personas, a page at a time."""
    filters = ExperimentFilterForm(request.GET, workspace=workspace)
    listing = filters.filter(Experiment.objects.for_listing(workspace), by_status=True)
    page = Paginator(listing.distinct(), TABLE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filters": filters, "page": page, "experiments": list(page)}
    return render_page(request, "experiments/table.html", context, partial="rows")


@require_http_methods(["GET", "POST"])
@workspace_view(Action.EDIT)
def experiment_create(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    initial = {"owner": request.user.pk}
    if request.GET.get("persona", "").isdigit():
        initial["personas"] = [int(request.GET["persona"])]
    if request.GET.get("channel", "").isdigit():
        initial["channel"] = int(request.GET["channel"])
    form = ExperimentCreateForm(request.POST or None, workspace=workspace, initial=initial)
    if request.method == "POST":
        if "fill_hypothesis" in request.POST:
            # The helper: write the hypothesis from what the form holds, save nothing.
            data = request.POST.copy()
            data["hypothesis"] = form.filled_hypothesis()
            form = ExperimentCreateForm(data, workspace=workspace)
            form.errors.clear()  # not a save: no errors yet
            return render_page(
                request,
                "experiments/form.html",
                {"form": form, "creating": True},
                partial="experiment-form",
            )
        if form.is_valid():
            experiment = form.save(commit=False)
            experiment.status = form.cleaned_data["status"]
            services.experiment_create(
                workspace=workspace,
                experiment=experiment,
                personas=list(form.cleaned_data["personas"]),
                user=request.user,
            )
            messages.success(
                request,
                f"“{experiment.title}” is on the board as {experiment.get_status_display().lower()}.",
            )
            return see_other(request, experiment.get_absolute_url())
        return render_page(
            request,
            "experiments/form.html",
            {"form": form, "creating": True},
            partial="experiment-form",
            status=422,
        )
    return render_page(request, "experiments/form.html", {"form": form, "creating": True})


def _detail_context(experiment: Experiment, **extra) -> dict:
    workspace = experiment.workspace
    results = list(
        ExperimentResult.objects.in_workspace(workspace)
        .filter(experiment=experiment)
        .select_related("created_by")
        .order_by("date", "pk")
    )
    targets = list(
        ExperimentTarget.objects.in_workspace(workspace)
        .filter(experiment=experiment)
        .select_related("persona")
        .order_by("persona__name")
    )
    chart = (
        progress_chart([(r.date, r.value) for r in results], experiment.baseline, experiment.target)
        if results
        else None
    )
    return {
        "experiment": experiment,
        "results": results,
        "targets": targets,
        "chart": chart,
        "result_form": ResultForm(),
        **extra,
    }


@require_GET
@workspace_view()
def experiment_detail(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    experiment = get_experiment(workspace, pk)
    return render_page(request, "experiments/detail.html", _detail_context(experiment))


@require_http_methods(["GET", "POST"])
@workspace_view(Action.EDIT)
def experiment_edit(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    experiment = get_experiment(workspace, pk)
    edit = versioned_edit(
        request,
        ExperimentForm,
        experiment,
        lambda form, **saving: services.experiment_update(
            experiment=experiment, personas=list(form.cleaned_data["personas"]), **saving
        ),
        workspace=workspace,
    )
    if edit.saved:
        messages.success(request, f"“{experiment.title}” is saved.")
        return see_other(request, experiment.get_absolute_url())
    context = {"experiment": experiment, "form": edit.form, "conflict": edit.conflict}
    return render_page(
        request, "experiments/form.html", context, partial="experiment-form", status=edit.status
    )


def _back(request: WorkspaceRequest, experiment: Experiment) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return experiment.get_absolute_url()


@require_POST
@workspace_view(Action.EDIT)
def experiment_move(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    experiment = get_experiment(workspace, pk)
    form = MoveForm(request.POST)
    problem, status = "", 200
    if not form.is_valid():
        problem, status = " ".join(e for errors in form.errors.values() for e in errors), 422
    else:
        target = form.cleaned_data["status"]
        try:
            services.experiment_move(
                experiment=experiment,
                status=target,
                expected_version=form.cleaned_data["version"],
                user=request.user,
            )
        except services.MoveNotAllowed as refused:
            problem, status = str(refused), 422
        except StaleVersion as stale:
            who = stale.current.updated_by or "Someone"
            problem = f"Not moved: {who} changed “{experiment.title}” since you loaded the board. It is now {stale.current.get_status_display().lower()}."
            status = 409
    if wants_fragment(request):
        context = _board_context(workspace, request.POST) | {"board_error": problem}
        return render_page(
            request, "experiments/board.html", context, partial="board", status=status
        )
    if problem:
        messages.error(request, problem)
    else:
        messages.success(
            request, f"“{experiment.title}” is now {experiment.get_status_display().lower()}."
        )
    return see_other(request, _back(request, experiment))


@require_http_methods(["GET", "POST"])
@workspace_view(Action.EDIT)
def experiment_conclude(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    experiment = get_experiment(workspace, pk)
    if experiment.status != Status.RUNNING:
        messages.error(request, "Only a running experiment can be concluded.")
        return see_other(request, experiment.get_absolute_url())
    edit = versioned_edit(
        request,
        ConcludeForm,
        experiment,
        lambda form, fields, **saving: services.experiment_conclude(
            experiment=experiment, **saving
        ),
    )
    if edit.saved:
        note = (
            " It can now graduate into the personas' core channels."
            if experiment.can_graduate
            else ""
        )
        messages.success(
            request,
            f"“{experiment.title}” is concluded: {experiment.get_outcome_display().lower()}.{note}",
        )
        return see_other(request, experiment.get_absolute_url())
    context = {"experiment": experiment, "form": edit.form, "conflict": edit.conflict}
    return render_page(request, "experiments/conclude.html", context, status=edit.status)


@require_http_methods(["GET", "POST"])
@workspace_view(Action.EDIT)
def experiment_graduate(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    experiment = get_experiment(workspace, pk)
    if not experiment.can_graduate:
        messages.error(
            request,
            "Already graduated."
            if experiment.graduated_at
            else "Only a concluded, adopted channel experiment graduates.",
        )
        return see_other(request, experiment.get_absolute_url())
    targets = services.graduation_targets(experiment)
    form = GraduateForm(request.POST or None, experiment=experiment, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            services.experiment_graduate(
                experiment=experiment, shares=form.shares(), user=request.user
            )
        except services.CannotGraduate as refused:
            messages.error(request, str(refused))
        else:
            names = ", ".join(p.name for p, _ in targets)
            messages.success(
                request, f"{experiment.channel.name} is now a core channel of {names}."
            )
        return see_other(request, experiment.get_absolute_url())
    context = {"experiment": experiment, "form": form}
    return render_page(
        request, "experiments/graduate.html", context, status=form_status(request, form)
    )


@require_POST
@workspace_view(Action.EDIT)
def result_add(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    experiment = get_experiment(workspace, pk)
    form = ResultForm(request.POST)
    if form.is_valid():
        services.result_add(
            experiment=experiment, result=form.save(commit=False), user=request.user
        )
        experiment = get_experiment(workspace, pk)  # the new latest result and progress
        if not wants_fragment(request):
            messages.success(request, "Result recorded.")
            return see_other(request, f"{experiment.get_absolute_url()}#results")
        return render_page(
            request, "experiments/detail.html", _detail_context(experiment), partial="results"
        )
    context = _detail_context(experiment, result_form=form)
    return render_page(request, "experiments/detail.html", context, partial="results", status=422)


@require_http_methods(["GET", "POST"])
@workspace_view(Action.EDIT)
def result_delete(
    request: WorkspaceRequest, workspace: Workspace, pk: int, result_pk: int
) -> HttpResponse:
    """Remove a result: htmx asks in place, without JavaScript a page asks first."""
    experiment = get_experiment(workspace, pk)
    result = (
        ExperimentResult.objects.in_workspace(workspace)
        .filter(experiment=experiment)
        .get_or_404(pk=result_pk)
    )
    if request.method == "GET":
        context = {"experiment": experiment, "result": result}
        return render_page(request, "experiments/result_delete.html", context)
    services.result_delete(result=result, user=request.user)
    experiment = get_experiment(workspace, pk)
    if wants_fragment(request):
        return render_page(
            request, "experiments/detail.html", _detail_context(experiment), partial="results"
        )
    messages.success(request, "Result removed.")
    return see_other(request, f"{experiment.get_absolute_url()}#results")


@require_http_methods(["GET", "POST"])
@workspace_view(Action.DELETE)
def experiment_delete(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    experiment = get_experiment(workspace, pk)
    if request.method == "POST":
        services.experiment_delete(experiment=experiment, user=request.user)
        messages.success(request, f"“{experiment.title}” is deleted for good.")
        return see_other(request, reverse("experiments:board", args=[workspace.slug]))
    actual_count = experiment.actuals.filter(workspace=workspace).count()
    return render_page(
        request, "experiments/delete.html", {"experiment": experiment, "actual_count": actual_count}
    )


experiment_export = export_view("experiments")


experiment_history = history_page("experiment", get_experiment)
experiment_archive, experiment_restore = archive_views(
    get_experiment,
    archived="{obj.title} is archived: off the board, the pickers and new plans.",
    restored="{obj.title} is restored.",
)

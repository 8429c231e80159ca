from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pacekeeper.htmx import form_status, render_page, see_other, wants_fragment, without_indentation
from planning import exports, services
from planning.actuals import actual_totals
from planning.compare import compare_plans
from planning.dashboard import EMERGING_THRESHOLD, build_dashboard, pace_formula, signal_rules
from planning.dashboard_page import dashboard_rows
from planning.forms import (
    ActualForm,
    PlanCopyForm,
    PlanForm,
    ReviewForm,
    SignalDismissForm,
    WhatIfForm,
)
from planning.models import Plan, PlanStatus, ReviewStep, SignalDismissal, SignalMode, get_plan
from planning.plan_page import Shown
from planning.selectors import kept_live_plan, plan_members, plan_view, with_actuals
from planning.trends import TREND_PLANS, trend_charts, workspace_trends
from workspaces.access import WorkspaceRequest, workspace_view
from workspaces.archive_views import archive_views
from workspaces.exports import export_response, export_view
from workspaces.history_views import history_page
from workspaces.models import Workspace
from workspaces.revision import cached_page
from workspaces.roles import Action
from workspaces.versioning import StaleVersion, posted_version, versioned_edit


@require_GET
@workspace_view()
def dashboard(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """The workspace's home for every role: the chosen plan's split, where the
    effort goes, the experiments pipeline and the signals worth acting on."""

    def data():
        return build_dashboard(workspace, request.GET.get("plan"), **_signals_shown(request.GET))

    if wants_fragment(request):
        return _dashboard_page(request, data())
    # The heavy part comes from the cache until the workspace's data changes.
    return cached_page(
        request,
        "planning/dashboard.html",
        lambda: _dashboard_context(request, data()),
        keep=("plan",),
    )


def _dashboard_context(request: WorkspaceRequest, data) -> dict:
    running = reverse("experiments:table", args=[request.workspace.slug]) + "?status=running"
    rows = dashboard_rows(data, request.GET, running_url=running)
    return {"data": data, "view": data.view, "plan": data.plan, "rows": rows}


def _dashboard_page(request: WorkspaceRequest, data, status: int = 200, **extra) -> HttpResponse:
    """The dashboard, or its signals card alone for an in-place dismiss or restore."""
    context = {**_dashboard_context(request, data), **extra}
    return render_page(
        request, "planning/dashboard.html", context, partial="signals-card", status=status
    )


def _dashboard_url(workspace: Workspace, plan: object | None, query=None) -> str:
    """The dashboard's signals card, for the plan (or its id) it showed, and the
    page of all its signals it listed when ``query`` (the form posted) says."""
    url = reverse("planning:dashboard", args=[workspace.slug])
    pk = getattr(plan, "pk", plan)
    params = {"plan": pk} if pk else {}
    if query is not None and query.get("signals") == "all":
        params["signals"] = "all"
        page = query.get("page", "")
        if page.isdigit():
            params["page"] = page
    return f"{url}?{urlencode(params)}#signals" if params else f"{url}#signals"


def _signals_shown(query) -> dict:
    """Which signals the dashboard lists: the most pressing, or all of them a
    page at a time (``signals=all&page=N``)."""
    return {"show_all": query.get("signals") == "all", "signal_page": query.get("page")}


def _posted_plan(request: WorkspaceRequest) -> str | None:
    """The plan the dashboard showed (its id), when the form says."""
    plan = request.POST.get("plan", "")
    return plan if plan.isdigit() else None


@require_POST
@workspace_view(Action.EDIT)
def signal_dismiss(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """Dismiss or snooze one of the dashboard's signals, named by its key; the
    card comes back without it (in place with htmx, the dashboard without)."""
    form = SignalDismissForm(request.POST)
    plan = _posted_plan(request)
    data = build_dashboard(workspace, plan, **_signals_shown(request.POST))
    if form.is_valid():
        key = form.cleaned_data["key"]
        signal = next((s for s in data.signals if s.key == key), None)
        if signal is None:
            form.add_error(
                None, "This signal no longer shows: it was set aside or its data changed."
            )
    if not form.is_valid():
        return _dashboard_page(request, data, status=422, dismiss_form=form)
    dismissal = services.signal_dismiss(
        workspace=workspace,
        key=signal.key,
        kind=signal.kind,
        text=signal.text,
        fingerprint=signal.fingerprint,
        mode=form.cleaned_data["mode"],
        reason=form.cleaned_data["reason"],
        user=request.user,
    )
    done = f"{dismissal.get_mode_display()}: “{signal.text}”"
    if not wants_fragment(request):
        messages.success(request, done)
        return see_other(request, _dashboard_url(workspace, data.plan, request.POST))
    data = build_dashboard(workspace, plan, **_signals_shown(request.POST))
    return _dashboard_page(request, data, set_aside_now=dismissal)


@require_GET
@workspace_view()
def signals_dismissed(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """The signals that still fire but are dismissed or snoozed, with who set
    each aside, when, how long and why; marketers and owners restore them."""
    data = build_dashboard(workspace, request.GET.get("plan"))
    return render_page(
        request,
        "planning/signals_dismissed.html",
        {"data": data, "plan": data.plan, "modes": SignalMode},
    )


@require_POST
@workspace_view(Action.EDIT)
def signal_restore(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """Bring a set-aside signal back; to the dashboard's card when restored from it."""
    dismissal = SignalDismissal.objects.in_workspace(workspace).get_or_404(pk=pk)
    services.signal_restore(dismissal=dismissal, user=request.user)
    plan = _posted_plan(request)
    if request.POST.get("back") == "dashboard":
        if wants_fragment(request):
            return _dashboard_page(request, build_dashboard(workspace, plan), restored=dismissal)
        messages.success(request, f"Back on the dashboard: “{dismissal.text}”")
        return see_other(request, _dashboard_url(workspace, plan))
    messages.success(request, f"Back on the dashboard: “{dismissal.text}”")
    url = reverse("planning:signals_dismissed", args=[workspace.slug])
    return see_other(request, f"{url}?plan={plan}" if plan else url)


# What the dashboard shows, as CSV or XLSX, for the plan it shows.
dashboard_export = export_view(exports.DASHBOARD.key)


@require_GET
@workspace_view()
def trends(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """Across the approved plans, oldest first: the split, each persona's share,
    the effort per channel; per quarter, the experiments' win rate and time to
    learn and the channels moved from emerging to core."""
    data = workspace_trends(workspace)
    return render_page(
        request,
        "planning/trends.html",
        {"trends": data, "charts": trend_charts(data), "limit": TREND_PLANS},
    )


@require_GET
@workspace_view()
def signals_help(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """How the dashboard's signals are decided, one rule per kind, in rank order."""
    return render_page(
        request,
        "planning/signals_help.html",
        {
            "rules": signal_rules(),
            "threshold": EMERGING_THRESHOLD.normalize(),
            "pace": pace_formula(),
        },
    )


@require_GET
@workspace_view()
def plan_list(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    archived = request.GET.get("show") == "archived"
    plans = (
        Plan.objects.in_workspace(workspace)
        .filter(archived=archived)
        .select_related("approved_by")
        .order_by("-start", "-pk")
    )
    return render_page(request, "planning/plan_list.html", {"plans": plans, "archived": archived})


@require_http_methods(["GET", "POST"])
@workspace_view(Action.EDIT)
def plan_create(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    form = PlanForm(request.POST or None, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        plan = services.plan_create(
            workspace=workspace,
            plan=form.save(commit=False),
            personas=list(form.cleaned_data["personas"]),
            user=request.user,
        )
        messages.success(
            request, f"{plan.name} is drafted. Try ratios below, then submit it for review."
        )
        return see_other(request, plan.get_absolute_url())
    return render_page(
        request, "planning/plan_form.html", {"form": form}, status=form_status(request, form)
    )


def _plan_context(request: WorkspaceRequest, plan: Plan, whatif_data=None) -> tuple[dict, int]:
    """The plan page's context; ``whatif_data`` holds values being tried, if any."""
    status, whatif, whatif_form, reading = 200, None, None, None
    if not plan.is_frozen:
        reading = kept_live_plan(plan)
    if plan.is_editable and request.membership.can_edit:
        members = reading.members if reading is not None else plan_members(plan)
        whatif_form = WhatIfForm(whatif_data, plan=plan, members=members)
        if whatif_data is not None:
            if whatif_form.is_valid():
                whatif = whatif_form.whatif()
            else:
                status = 422
    if reading is not None:
        view = with_actuals(plan_view(plan, whatif, reading=reading), reading.actuals)
    else:
        view = with_actuals(plan_view(plan), actual_totals(plan))
    shown = Shown.from_query(plan.get_absolute_url(), request.GET)
    if whatif_form is not None:
        # The fields of the rows the page shows (a large plan shows its first ones).
        members = {m.pk: m for m in whatif_form.members}
        for _number, row in shown.rows(view):
            if (member := members.get(row.member_id)) is not None:
                row.weight_field, row.share_field = whatif_form.member_fields(member)
    # The review steps and the effort form are read only by the parts that show
    # them: a what-if's answer reads neither.
    steps = SimpleLazyObject(
        lambda: list(
            ReviewStep.objects.in_workspace(plan.workspace)
            .filter(plan=plan)
            .select_related("user")
            .order_by("at", "pk")
        )
    )
    personas = [(r.persona_id, r.name) for r in view.personas if r.persona_id]
    context = {
        "plan": plan,
        "view": view,
        "shown": shown,
        "whatif_form": whatif_form,
        "steps": steps,
        "last_return": lambda: next((s for s in reversed(steps) if s.action == "returned"), None),
        "review_form": ReviewForm(initial={"version": plan.version}),
        "actual_form": SimpleLazyObject(lambda: ActualForm(plan=plan, personas=personas))
        if request.membership.can_edit
        else None,
    }
    return context, status


@require_GET
@workspace_view()
def plan_detail(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """The plan page. With what-if values in the query (the slider, weights,
    shares), the allocation is recomputed with them and nothing is saved."""
    whatif_data = request.GET if "present_share" in request.GET else None
    if whatif_data is None and not wants_fragment(request):
        # The page as it stands comes from the cache until the workspace's data
        # changes. A part cached under this revision and address proves the plan
        # is this workspace's: it is read (or refused) only when it is not there.
        return cached_page(
            request,
            "planning/plan_detail.html",
            lambda: _plan_context(request, get_plan(workspace, pk), None)[0],
            keep=("plan",),
        )
    plan = get_plan(workspace, pk)
    context, status = _plan_context(request, plan, whatif_data)
    # htmx asks for one persona's rows (opened or closed), or for what a what-if
    # changes (sent out of band), or, when its values are wrong, the whole
    # allocation with the errors beside the fields.
    partial = "allocation"
    if context["shown"].only is not None:
        partial = "persona-rows"
    elif whatif_data is not None and status == 200:
        partial = "whatif"
    response = render_page(
        request, "planning/plan_detail.html", context, partial=partial, status=status
    )
    if partial == "whatif":
        without_indentation(response)
    if partial == "allocation" and whatif_data is not None:
        response["HX-Reswap"] = "outerHTML"
    return response


@require_POST
@workspace_view(Action.EDIT)
def plan_save_whatif(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    plan = get_plan(workspace, pk)
    if refused := _ratios_locked(request, plan):
        return refused
    form = WhatIfForm(request.POST, plan=plan, members=plan_members(plan))
    if "preview" in request.POST or not form.is_valid():
        # Without JavaScript, "Preview" shows the allocation with these values, unsaved.
        context, status = _plan_context(request, plan, request.POST)
        return render_page(request, "planning/plan_detail.html", context, status=status)
    if stale := _save_ratios(request, plan, form):
        who = stale.current.updated_by or "Someone"
        messages.error(
            request,
            f"Not saved: {who} changed this plan since you opened it. The page now shows their version; "
            "try your ratios again.",
        )
        return see_other(request, plan.get_absolute_url())
    messages.success(request, "Ratios and weights saved.")
    return see_other(request, plan.get_absolute_url())


def _ratios_locked(request: WorkspaceRequest, plan: Plan) -> HttpResponse | None:
    """A submitted or approved plan's ratios stay as they are: back to the plan, saying why."""
    if plan.is_editable:
        return None
    messages.error(
        request,
        f"This plan is {plan.get_status_display().lower()}: its ratios can no longer change.",
    )
    return see_other(request, plan.get_absolute_url())


def _save_ratios(request: WorkspaceRequest, plan: Plan, form: WhatIfForm) -> StaleVersion | None:
    """Save the ratios and weights of a valid what-if form; the refusal when the
    plan changed since the page was opened."""
    try:
        services.plan_save_whatif(
            plan=plan,
            whatif=form.whatif(),
            expected_version=posted_version(request),
            user=request.user,
        )
    except StaleVersion as stale:
        return stale
    return None


@require_POST
@workspace_view(Action.EDIT)
def plan_balance(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """Save the ratios being tried with the plan balanced to its headline: the
    personas following the plan's ratio are adjusted so the whole plan allocates
    exactly that split. When no adjustment can, the page says why; nothing is saved."""
    plan = get_plan(workspace, pk)
    if refused := _ratios_locked(request, plan):
        return refused
    data = request.POST.copy()
    data["balance"] = "on"
    members = plan_members(plan)
    form = WhatIfForm(data, plan=plan, members=members)
    view = plan_view(plan, form.whatif(), members) if form.is_valid() else None
    if view is None or view.balance_problem or view.error:
        context, _status = _plan_context(request, plan, data)
        return render_page(request, "planning/plan_detail.html", context, status=422)
    if stale := _save_ratios(request, plan, form):
        who = stale.current.updated_by or "Someone"
        messages.error(
            request, f"Not balanced: {who} changed this plan since you opened it. Try again."
        )
        return see_other(request, plan.get_absolute_url())
    messages.success(
        request,
        f"Balanced: {plan.name} allocates {view.allocated_split.exact_text}, its headline "
        f"{view.headline.text}.",
    )
    return see_other(request, plan.get_absolute_url())


@require_http_methods(["GET", "POST"])
@workspace_view(Action.EDIT)
def plan_edit(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    plan = get_plan(workspace, pk)
    if not plan.is_editable:
        messages.error(
            request, f"This plan is {plan.get_status_display().lower()}: copy it to plan again."
        )
        return see_other(request, plan.get_absolute_url())
    edit = versioned_edit(
        request,
        PlanForm,
        plan,
        lambda form, **saving: services.plan_update(
            plan=plan, personas=list(form.cleaned_data["personas"]), **saving
        ),
        workspace=workspace,
    )
    if edit.saved:
        messages.success(request, f"{plan.name} is saved.")
        return see_other(request, plan.get_absolute_url())
    context = {"form": edit.form, "plan": plan, "conflict": edit.conflict}
    return render_page(request, "planning/plan_form.html", context, status=edit.status)


def _review_view(action: Action, step: Callable[..., None], done: str) -> Callable:
    """A review step's view: submit, approve or return the plan, with the comment
    and the version the page showed; ``done`` says what happened to the plan."""

    @require_POST
    @workspace_view(action)
    def review(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
        plan = get_plan(workspace, pk)
        form = ReviewForm(request.POST)
        if not form.is_valid():
            messages.error(request, "The review form was incomplete; nothing changed.")
            return see_other(request, plan.get_absolute_url())
        try:
            step(
                plan=plan,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                comment=form.cleaned_data["comment"],
            )
        except services.PlanStateError as refused:
            messages.error(request, str(refused))
        except StaleVersion as stale:
            messages.error(
                request,
                f"Nothing changed: {stale.current.updated_by or 'someone'} changed this plan since you opened it. "
                "Check the figures below and try again.",
            )
        else:
            messages.success(request, done.format(plan=plan))
        return see_other(request, plan.get_absolute_url())

    return review


plan_submit = _review_view(
    Action.SUBMIT, services.plan_submit, "{plan.name} is submitted for review."
)
plan_approve = _review_view(
    Action.REVIEW, services.plan_approve, "{plan.name} is approved. Its figures are now fixed."
)
plan_return = _review_view(
    Action.REVIEW, services.plan_return, "{plan.name} is returned to its authors with your comment."
)


@require_http_methods(["GET", "POST"])
@workspace_view(Action.EDIT)
def plan_copy(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    source = get_plan(workspace, pk)
    initial = {"name": f"Copy of {source.name}"[:120], "start": source.start, "end": source.end}
    form = PlanCopyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        copy = services.plan_copy(source=source, user=request.user, **form.cleaned_data)
        messages.success(request, f"{copy.name} is drafted from {source.name}.")
        return see_other(request, copy.get_absolute_url())
    context = {"form": form, "plan": source}
    return render_page(
        request, "planning/plan_copy.html", context, status=form_status(request, form)
    )


@require_GET
@workspace_view()
def plan_compare(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    plan = get_plan(workspace, pk)
    others = list(
        Plan.objects.in_workspace(workspace)
        .filter(archived=False)
        .exclude(pk=plan.pk)
        .order_by("-start", "-pk")
    )
    other = None
    if request.GET.get("other", "").isdigit():
        other = next((p for p in others if p.pk == int(request.GET["other"])), None)
        if other is None:
            raise Http404("No such plan to compare with.")
    context = {"plan": plan, "others": others, "other": other}
    if other is not None:
        context["comparison"] = compare_plans(plan_view(other), plan_view(plan))
    return render_page(request, "planning/plan_compare.html", context)


@require_http_methods(["GET", "POST"])
@workspace_view()
def plan_export(request: WorkspaceRequest, workspace: Workspace, pk: int, fmt: str) -> HttpResponse:
    """The plan's lines as CSV; with its personas, channels and experiments as
    XLSX. A large plan's file is written by the worker."""
    return export_response(request, workspace, exports.PLAN, fmt, {"plan": pk})


@require_http_methods(["GET", "POST"])
@workspace_view(Action.DELETE)
def plan_delete(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    plan = get_plan(workspace, pk)
    if request.method == "POST":
        services.plan_delete(plan=plan, user=request.user)
        messages.success(request, f"{plan.name} is deleted for good.")
        return see_other(request, reverse("planning:plan_list", args=[workspace.slug]))
    return render_page(
        request,
        "planning/plan_delete.html",
        {"plan": plan, "approved": plan.status == PlanStatus.APPROVED},
    )


plan_history = history_page("plan", get_plan)
# Archiving changes no line of a plan: an approved plan stays as approved.
plan_archive, plan_restore = archive_views(
    get_plan,
    archived="{obj.name} is archived: out of the plan list and the pickers, unchanged.",
    restored="{obj.name} is restored.",
)

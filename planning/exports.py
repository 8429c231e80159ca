"""A plan's allocation and its dashboard as CSV and XLSX: the same figures as
their pages; the recorded effort, with its list's filters. Each is an
``ExportKind``: a large one is written by the worker."""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property

from django.http import Http404

from planning.allocation import Bucket
from planning.dashboard import build_dashboard
from planning.forms import ActualFilterForm
from planning.models import Actual, get_plan
from planning.selectors import (
    LiveAllocation,
    PlanSizes,
    PlanView,
    live_allocation,
    live_plan_view,
    live_sizes,
    plan_sizes,
    plan_view,
)
from workspaces.models import Workspace
from workspaces.registry import ExportKind, ExportSheet

LINE_HEADER = [
    "Persona", "Where", "Line", "Channel or experiment", "Amount", "% of persona", "% of plan",
    "Persona weight", "Persona present share", "Share set by",
]  # fmt: skip
BUCKET = {Bucket.PRESENT: "Where they are", Bucket.FUTURE: "Where they are going"}


def _round(value: Decimal | None) -> Decimal | str:
    """A shown percentage (one decimal, each set adding to 100), as on the page."""
    return "" if value is None else value


def line_rows(view: PlanView) -> list[list]:
    return [
        [
            row.name,
            BUCKET[line.bucket],
            line.kind,
            line.label,
            line.amount,
            _round(line.of_persona),
            _round(line.of_plan),
            row.weight,
            row.share,
            row.source_label,
        ]
        for row, line in view.lines
    ]


def _total_row(view: PlanView) -> list:
    return ["Total", "", "", "", view.present + view.future, "", Decimal(100) if view.total else "", "", "", ""]  # fmt: skip


def allocation_rows(view: PlanView) -> list[list]:
    return [*line_rows(view), _total_row(view)]


def persona_rows(view: PlanView) -> list[list]:
    return [
        [
            r.name,
            r.weight,
            r.share,
            r.source_label,
            r.amount,
            r.present,
            r.future,
            _round(r.of_plan),
        ]
        for r in view.personas
    ]


def channel_rows(view: PlanView) -> list[list]:
    return [
        [r.label, r.present, r.future, r.total, _round(r.of_plan)]
        for r in [*view.channel_table.rows, view.channel_table.total]
    ]


def experiment_rows(view: PlanView) -> list[list]:
    return [
        [r.label, r.future, _round(r.of_plan)]
        for r in [*view.experiment_table.rows, view.experiment_table.total]
    ]


class PlanExport:
    """One plan of the workspace (``Http404`` for any other pk), as its export
    reads it: the tables' sizes counted without building its view, the view
    built once, when the first row is written."""

    def __init__(self, workspace: Workspace, plan: int) -> None:
        self.plan = get_plan(workspace, plan)

    @cached_property
    def _live(self) -> LiveAllocation:
        """A draft's allocation, run once for both its count and its rows."""
        return live_allocation(self.plan)

    @cached_property
    def sizes(self) -> PlanSizes:
        return plan_sizes(self.plan) if self.plan.is_frozen else live_sizes(self._live)

    @cached_property
    def view(self) -> PlanView:
        return plan_view(self.plan) if self.plan.is_frozen else live_plan_view(self._live)

    @property
    def filename(self) -> str:
        return f"{self.plan.name} allocation {self.plan.workspace.effort_unit}"


def _persona_header(export: PlanExport) -> list[str]:
    unit = export.plan.workspace.effort_unit
    return ["Persona", "Weight", "Present share", "Share set by", f"Amount ({unit})", "Present", "Future", "% of plan"]  # fmt: skip


PLAN = ExportKind(
    "plan",
    "plan allocation",
    [
        ExportSheet(
            "Allocation",
            LINE_HEADER,
            lambda export: allocation_rows(export.view),
            lambda export: export.sizes.lines + 1,  # and the Total row
        ),
        ExportSheet(
            "Personas",
            _persona_header,
            lambda export: persona_rows(export.view),
            lambda export: export.sizes.personas,
        ),
        ExportSheet(
            "Channels",
            ["Channel", "Present", "Future (experiments)", "Total", "% of plan"],
            lambda export: channel_rows(export.view),
            lambda export: export.sizes.channels,
        ),
        ExportSheet(
            "Experiments",
            ["Experiment", "Amount", "% of plan"],
            lambda export: experiment_rows(export.view),
            lambda export: export.sizes.experiments,
        ),
    ],
    source=PlanExport,
    filename=lambda export: export.filename,
)


# --- The dashboard, as it shows -------------------------------------------------

DASHBOARD_HEADER = [
    "Section", "Item", "Where they are", "Where they are going", "Total",
    "Where they are (%)", "Where they are going (%)", "% of plan", "Actual", "Points", "Note",
]  # fmt: skip


def _points(drift) -> Decimal | str:
    return "" if drift is None else Decimal(str(round(drift.points, 1)))


def _row(
    section: str,
    item: str,
    *,
    hours=("", "", ""),
    shares=("", ""),
    of_plan="",
    actual="",
    points="",
    note="",
) -> list:
    """One row of the dashboard export, in ``DASHBOARD_HEADER``'s columns."""
    return [section, item, *hours, *shares, of_plan, actual, points, note]


def _split_rows(view: PlanView) -> list[list]:
    rows = [
        _row("Split", "The plan's headline", shares=view.headline.parts, note=view.source_sentence)
    ]
    if view.allocated_split is not None:
        hours = (view.present, view.future, view.allocated)
        rows.append(_row("Split", "Allocated", hours=hours, shares=view.allocated_split.parts))
    if view.actual_split is not None:
        hours = (view.actual_present, view.actual_future, view.actual)
        rows.append(
            _row("Split", "Actual", hours=hours, shares=view.actual_split.parts, actual=view.actual)
        )
    for drift in view.drifts:
        beyond = f", beyond the {view.tolerance}-point tolerance" if drift.off else ""
        item = f"{drift.measured.subject} against {drift.against.reference}"
        rows.append(_row("Drift", item, points=_points(drift), note=drift.sentence + beyond))
    return rows


def _persona_rows(view: PlanView) -> list[list]:
    rows = []
    for r in view.personas:
        off = (
            f"; {r.ratio_drift.sentence}, beyond the {view.tolerance}-point tolerance"
            if r.off_ratio
            else ""
        )
        rows.append(_row(
            "Persona", r.name, hours=(r.present, r.future, r.amount), shares=(r.share, r.future_share),
            of_plan=_round(r.of_plan), actual=r.actual, points=_points(r.ratio_drift), note=r.source_label + off,
        ))  # fmt: skip
    return rows


def _channel_rows(view: PlanView) -> list[list]:
    table = view.channel_table
    return [
        _row(
            "Channel",
            r.label,
            hours=(r.present, r.future, r.total),
            of_plan=_round(r.of_plan),
            actual="" if r.actual is None else r.actual,
            note=r.note,
        )
        for r in [*table.rows, table.total]
    ]


def dashboard_rows(data) -> list[list]:
    """The dashboard's figures in one table: the split three ways and the drift
    between them, per persona, per channel with its total row, and the signals."""
    view = data.view
    rows = [] if view is None else [*_split_rows(view), *_persona_rows(view), *_channel_rows(view)]
    rows += [
        ["Signal", signal.kind.value, "", "", "", "", "", "", "", "", signal.text]
        for signal in data.signals
    ]
    return rows  # fmt: skip


class DashboardExport:
    """The dashboard of the plan asked for (``Http404`` for a plan not of the
    workspace), or of the plan it shows first when none is asked for. Its
    signals are worked out over the whole workspace, so counting its rows
    builds it: once, as the dashboard itself does."""

    def __init__(self, workspace: Workspace, plan: str = "") -> None:
        self.data = build_dashboard(workspace, plan or None)
        if plan and (self.data.plan is None or str(self.data.plan.pk) != str(plan)):
            raise Http404("No such plan in this workspace.")
        self.workspace = workspace

    @cached_property
    def rows(self) -> list[list]:
        return dashboard_rows(self.data)

    @property
    def filename(self) -> str:
        plan = self.data.plan
        unit = self.workspace.effort_unit if plan else "hours"
        return f"{plan.name if plan else 'workspace'} dashboard {unit}"


def dashboard_options(workspace: Workspace, query) -> dict[str, str]:
    """The plan the dashboard shows, as its address names it."""
    return {"plan": query.get("plan", "")}


DASHBOARD = ExportKind(
    "dashboard",
    "dashboard",
    [
        ExportSheet(
            "Dashboard",
            DASHBOARD_HEADER,
            lambda export: export.rows,
            lambda export: len(export.rows),
        )
    ],
    options=dashboard_options,
    source=DashboardExport,
    filename=lambda export: export.filename,
)


ACTUAL_COLUMNS = [
    "date", "plan", "channel", "experiment", "persona", "amount", "note", "recorded_by",
]  # fmt: skip


def actual_filters(workspace: Workspace, query) -> dict[str, str]:
    """The recorded-effort list's filters in the query, as plain values."""
    return {name: query[name] for name in ActualFilterForm.base_fields if query.get(name)}


def _actuals(workspace: Workspace, **filters: str):
    form = ActualFilterForm(filters, workspace=workspace)
    return form.filter(Actual.objects.in_workspace(workspace))


def actual_rows(workspace: Workspace, **filters: str) -> list[list]:
    actuals = (
        _actuals(workspace, **filters)
        .select_related("plan", "channel", "experiment", "persona", "created_by")
        .order_by("date", "pk")
    )
    return [
        [
            a.date.isoformat(),
            a.plan.name,
            a.channel.name if a.channel else "",
            a.experiment.title if a.experiment else "",
            a.persona.name if a.persona else "",
            a.amount,
            a.note,
            a.created_by.email if a.created_by else "",
        ]
        for a in actuals
    ]


ACTUALS = ExportKind(
    "recorded-effort",
    "recorded effort",
    [
        ExportSheet(
            "Recorded effort",
            ACTUAL_COLUMNS,
            actual_rows,
            lambda workspace, **filters: _actuals(workspace, **filters).count(),
        )
    ],
    options=actual_filters,
)

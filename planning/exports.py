"""A plan's allocation as CSV and XLSX: the same figures as its page; the
recorded effort, with its list's filters."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpResponse

from pacekeeper.spreadsheets import csv_response, table_response, xlsx_response
from planning.allocation import Bucket
from planning.forms import ActualFilterForm
from planning.models import Actual
from planning.selectors import PlanView
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


def _filename(view: PlanView, unit: str) -> str:
    return f"{view.plan.name} allocation {unit}"


def _total_row(view: PlanView) -> list:
    return ["Total", "", "", "", view.present + view.future, "", Decimal(100) if view.total else "", "", "", ""]  # fmt: skip


def plan_csv(view: PlanView) -> HttpResponse:
    rows = [*line_rows(view), _total_row(view)]
    return csv_response(_filename(view, view.plan.workspace.effort_unit), LINE_HEADER, rows)


def plan_xlsx(view: PlanView) -> HttpResponse:
    unit = view.plan.workspace.effort_unit
    rows = [*line_rows(view), _total_row(view)]
    personas = [
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
    channels = [
        [r.label, r.present, r.future, r.total, _round(r.of_plan)]
        for r in [*view.channel_table.rows, view.channel_table.total]
    ]
    experiments = [
        [r.label, r.future, _round(r.of_plan)]
        for r in [*view.experiment_table.rows, view.experiment_table.total]
    ]
    return xlsx_response(
        _filename(view, unit),
        [
            ("Allocation", LINE_HEADER, rows),
            (
                "Personas",
                [
                    "Persona",
                    "Weight",
                    "Present share",
                    "Share set by",
                    f"Amount ({unit})",
                    "Present",
                    "Future",
                    "% of plan",
                ],
                personas,
            ),
            (
                "Channels",
                ["Channel", "Present", "Future (experiments)", "Total", "% of plan"],
                channels,
            ),
            ("Experiments", ["Experiment", "Amount", "% of plan"], experiments),
        ],
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


def dashboard_export(data, fmt: str) -> HttpResponse:
    unit = data.plan.workspace.effort_unit if data.plan else "hours"
    name = f"{data.plan.name if data.plan else 'workspace'} dashboard {unit}"
    return table_response(
        fmt, name, [("Dashboard", DASHBOARD_HEADER, lambda: dashboard_rows(data))]
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

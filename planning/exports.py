"""A plan's allocation as CSV and XLSX: the same figures as its page."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpResponse

from pacekeeper.spreadsheets import csv_response, xlsx_response
from planning.allocation import Bucket
from planning.selectors import PlanView

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

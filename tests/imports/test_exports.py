from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import (
    ActualFactory,
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    ExperimentResultFactory,
    PersonaFactory,
    PlanFactory,
)

PAYLOADS = ['=HYPERLINK("http://evil")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"]


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def hostile(workspace):
    persona = PersonaFactory(workspace=workspace, name=PAYLOADS[0], summary=PAYLOADS[1])
    channel = ChannelFactory(workspace=workspace, name=PAYLOADS[3])
    ChannelUsageFactory(persona=persona, channel=channel, notes=PAYLOADS[2])
    experiment = ExperimentFactory(
        workspace=workspace, title=PAYLOADS[2], personas=[persona], learnings=PAYLOADS[0]
    )
    ExperimentResultFactory(experiment=experiment, note=PAYLOADS[1])
    plan = PlanFactory(workspace=workspace, personas=[persona])
    ActualFactory(plan=plan, channel=channel, note=PAYLOADS[0])
    return workspace


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("personas:export", {}),
        ("channels:mix_export", {}),
        ("experiments:export", {}),
        ("planning:actual_export", {}),
    ],
)
def test_csv_exports_escape_formula_cells(reviewer_client, hostile, name, kwargs):
    response = reviewer_client.get(reverse(name, args=[hostile.slug, "csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    cells = [cell for row in csv_rows(response) for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
    assert any(
        c.startswith("'=") or c.startswith("'+") or c.startswith("'-") or c.startswith("'@")
        for c in cells
    )


@pytest.mark.parametrize(
    "name",
    ["personas:export", "channels:mix_export", "experiments:export", "planning:actual_export"],
)
def test_xlsx_exports_escape_formula_cells(reviewer_client, hostile, name):
    response = reviewer_client.get(reverse(name, args=[hostile.slug, "xlsx"]))
    book = load_workbook(io.BytesIO(response.content))
    values = [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    assert not [v for v in values if v.startswith(("=", "+", "-", "@"))]


def test_experiment_export_has_results_sheet(reviewer_client, workspace):
    experiment = ExperimentFactory(workspace=workspace, title="Pilot")
    ExperimentResultFactory(experiment=experiment, value=42)
    book = load_workbook(
        io.BytesIO(
            reviewer_client.get(
                reverse("experiments:export", args=[workspace.slug, "xlsx"])
            ).content
        )
    )
    assert next(iter(book["Results"].iter_rows(min_row=2, values_only=True)))[:1] == ("Pilot",)


def test_actual_export_follows_the_filters(reviewer_client, workspace):
    plan = PlanFactory(workspace=workspace, name="Q1")
    other = PlanFactory(workspace=workspace, name="Q2")
    channel = ChannelFactory(workspace=workspace)
    ActualFactory(plan=plan, channel=channel, note="in q1")
    ActualFactory(plan=other, channel=channel, note="in q2")
    rows = csv_rows(
        reviewer_client.get(
            reverse("planning:actual_export", args=[workspace.slug, "csv"]) + f"?plan={plan.pk}"
        )
    )
    assert [r[6] for r in rows[1:]] == ["in q1"]


def test_outsider_cannot_export(outsider_client, workspace):
    assert (
        outsider_client.get(reverse("personas:export", args=[workspace.slug, "csv"])).status_code
        == 404
    )

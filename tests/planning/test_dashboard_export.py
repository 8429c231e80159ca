"""The dashboard's export holds what the dashboard shows: the split three ways,
per persona, per channel with its total row, and the signals."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import (
    ActualFactory,
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    PersonaFactory,
    PlanFactory,
)


def _plan(workspace):
    """1,000 h at 70 / 30: Ana follows it, Ben keeps his own 90 / 10. Allocated
    800 / 200; recorded 850 on Webinars and 150 on the experiment."""
    webinars = ChannelFactory(workspace=workspace, name="Webinars")
    ana = PersonaFactory(workspace=workspace, name="Ana", priority=1)
    ben = PersonaFactory(workspace=workspace, name="Ben", priority=1, present_share_override=90)
    for persona in (ana, ben):
        ChannelUsageFactory(persona=persona, channel=webinars)
    experiment = ExperimentFactory(
        workspace=workspace, status="running", personas=[ana, ben], channel=None, kind="message"
    )
    plan = PlanFactory(
        workspace=workspace,
        name="Q1",
        personas=[ana, ben],
        total_effort=1000,
        present_share=70,
        start=date.today(),
    )
    ActualFactory(plan=plan, channel=webinars, persona=ana, amount=Decimal(500))
    ActualFactory(plan=plan, channel=webinars, persona=ben, amount=Decimal(350))
    ActualFactory(plan=plan, experiment=experiment, persona=ben, amount=Decimal(150))
    return plan  # fmt: skip


def test_the_csv_agrees_with_the_dashboard(reviewer_client, workspace):
    plan = _plan(workspace)
    url = reverse("planning:dashboard_export", args=[workspace.slug, "csv"])
    response = reviewer_client.get(url, {"plan": plan.pk})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:5] == ["Section", "Item", "Where they are", "Where they are going", "Total"]
    by = {(r[0], r[1]): r for r in body}

    def numbers(row, start, end):
        return [Decimal(v) for v in row[start:end]]

    assert numbers(by["Split", "The plan's headline"], 5, 7) == [70, 30]
    assert numbers(by["Split", "Allocated"], 2, 7) == [800, 200, 1000, 80, 20]
    assert numbers(by["Split", "Actual"], 5, 7) == [85, 15]
    drift = by["Drift", "Actual against the allocated"]
    assert Decimal(drift[9]) == 5
    assert drift[10] == (
        "Actual 85 / 15 against the allocated 80 / 20: 5.0 points more on where they are"
    )
    ana = by["Persona", "Ana"]
    assert Decimal(ana[9]) == 30 and "beyond the 5-point tolerance" in ana[10]
    channels = [r for r in body if r[0] == "Channel"]
    assert channels[-1][1] == "Total" and Decimal(channels[-1][4]) == 1000
    assert sum(Decimal(r[4]) for r in channels[:-1]) == 1000  # the rows add to the total
    assert sum(Decimal(r[7]) for r in channels[:-1]) == 100
    dashboard = reviewer_client.get(
        reverse("planning:dashboard", args=[workspace.slug]), {"plan": plan.pk}
    )
    signals = [r[10] for r in body if r[0] == "Signal"]
    assert signals and all(text.split(":")[0] in dashboard.content.decode() for text in signals)  # fmt: skip


def test_the_workbook_has_the_same_rows(reviewer_client, workspace):
    plan = _plan(workspace)
    url = reverse("planning:dashboard_export", args=[workspace.slug, "xlsx"])
    book = load_workbook(io.BytesIO(reviewer_client.get(url, {"plan": plan.pk}).content))
    rows = list(book["Dashboard"].iter_rows(min_row=2, values_only=True))
    assert ("Channel", "Total") in {(r[0], r[1]) for r in rows}
    assert any(r[0] == "Signal" and r[1] == "persona-drift" for r in rows)


def test_the_dashboard_offers_its_export(reviewer_client, workspace):
    plan = _plan(workspace)
    html = reviewer_client.get(
        reverse("planning:dashboard", args=[workspace.slug])
    ).content.decode()
    assert f"/dashboard.csv?plan={plan.pk}" in html and f"/dashboard.xlsx?plan={plan.pk}" in html

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from planning.models import Plan, PlanPersona
from planning.selectors import plan_view
from tests.factories import (
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    PersonaFactory,
    PlanFactory,
)


def test_copy_starts_a_draft_with_the_same_settings(marketer_client, workspace):
    olivia = PersonaFactory(workspace=workspace)
    gone = PersonaFactory(workspace=workspace, archived=True)
    source = PlanFactory(
        workspace=workspace, personas=[olivia, gone], present_share=70, status="approved"
    )
    PlanPersona.objects.filter(plan=source, persona=olivia).update(
        weight=7, present_share_override=95
    )
    url = reverse("planning:plan_copy", args=[workspace.slug, source.pk])
    assert "Copy of" in marketer_client.get(url).content.decode()
    response = marketer_client.post(
        url, {"name": "Q2 2027", "start": "2027-04-01", "end": "2027-06-30"}
    )
    copy = Plan.objects.get(name="Q2 2027")
    assert response.status_code == 303 and copy.status == "draft" and copy.copied_from == source
    assert (copy.total_effort, copy.present_share) == (source.total_effort, 70)
    assert list(
        PlanPersona.objects.filter(plan=copy).values_list(
            "persona", "weight", "present_share_override"
        )
    ) == [(olivia.pk, 7, 95)]


def test_copy_refuses_bad_dates(marketer_client, workspace):
    source = PlanFactory(workspace=workspace)
    url = reverse("planning:plan_copy", args=[workspace.slug, source.pk])
    response = marketer_client.post(url, {"name": "X", "start": "2027-04-01", "end": "2027-03-01"})
    assert (
        response.status_code == 422 and "cannot end before it starts" in response.content.decode()
    )


def test_compare_shows_what_moved(reviewer_client, workspace):
    persona = PersonaFactory(workspace=workspace, name="Olivia")
    ChannelUsageFactory(
        persona=persona, channel=ChannelFactory(workspace=workspace, name="LinkedIn")
    )
    ExperimentFactory(workspace=workspace, title="Pilot", status="running", personas=[persona])
    before = PlanFactory(
        workspace=workspace, name="Q1", personas=[persona], total_effort=1000, present_share=80
    )
    after = PlanFactory(
        workspace=workspace, name="Q2", personas=[persona], total_effort=1000, present_share=70
    )
    response = reviewer_client.get(
        reverse("planning:plan_compare", args=[workspace.slug, after.pk]), {"other": before.pk}
    )
    html = response.content.decode()
    assert "Q1 → Q2" in html
    assert "+100.00" in html and "-100.00" in html  # 100 moved from present to future


def test_compare_with_a_plan_of_another_workspace_is_404(
    reviewer_client, workspace, other_workspace
):
    plan = PlanFactory(workspace=workspace)
    foreign = PlanFactory(workspace=other_workspace)
    url = reverse("planning:plan_compare", args=[workspace.slug, plan.pk])
    assert reviewer_client.get(url, {"other": foreign.pk}).status_code == 404


def _plan_with_lines(workspace, personas=3):
    people = []
    for i in range(personas):
        persona = PersonaFactory(
            workspace=workspace,
            name=f'=HYPERLINK("http://evil") {i}' if i == 0 else f"Persona {i}",
            priority=i % 5 + 1,
        )
        for c in range(3):
            ChannelUsageFactory(
                persona=persona, channel=ChannelFactory(workspace=workspace), share=c + 1
            )
        people.append(persona)
    return PlanFactory(workspace=workspace, personas=people, total_effort=Decimal("999.99"))


def test_csv_export_has_the_figures_of_the_page_and_is_safe(reviewer_client, workspace):
    plan = _plan_with_lines(workspace)
    response = reviewer_client.get(
        reverse("planning:plan_export", args=[workspace.slug, plan.pk, "csv"])
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    view = plan_view(plan)
    body = rows[1:-1]
    assert [Decimal(r[4]) for r in body] == [line.amount for _, line in view.lines]
    assert sum(Decimal(r[4]) for r in body) == Decimal("999.99") == Decimal(rows[-1][4])
    assert body[0][0].startswith("'=HYPERLINK")  # neutralised


def test_xlsx_export_has_the_same_figures(reviewer_client, workspace):
    plan = _plan_with_lines(workspace)
    response = reviewer_client.get(
        reverse("planning:plan_export", args=[workspace.slug, plan.pk, "xlsx"])
    )
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Allocation"]
    values = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)][:-1]
    view = plan_view(plan)
    assert [Decimal(str(v)).quantize(Decimal("0.01")) for v in values] == [
        line.amount for _, line in view.lines
    ]
    assert sheet.cell(row=2, column=1).value.startswith("'=")
    assert {"Allocation", "Personas", "Channels", "Experiments"} <= set(book.sheetnames)


def test_a_total_over_many_personas_still_sums_exactly(reviewer_client, workspace):
    from personas.models import Persona

    people = Persona.objects.bulk_create(
        Persona(workspace=workspace, name=f"P{i}", priority=i % 5 + 1) for i in range(137)
    )
    plan = PlanFactory(
        workspace=workspace, personas=people, total_effort=Decimal("1000000.01"), present_share=73
    )
    response = reviewer_client.get(
        reverse("planning:plan_export", args=[workspace.slug, plan.pk, "csv"])
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:-1]
    assert sum(Decimal(r[4]) for r in rows) == Decimal("1000000.01")


def test_unknown_export_format_is_404(reviewer_client, workspace):
    plan = PlanFactory(workspace=workspace)
    url = reverse("planning:plan_export", args=[workspace.slug, plan.pk, "csv"]).replace(
        ".csv", ".pdf"
    )
    assert reviewer_client.get(url).status_code == 404


def test_only_owner_deletes_a_plan(owner_client, marketer_client, workspace):
    plan = PlanFactory(workspace=workspace)
    url = reverse("planning:plan_delete", args=[workspace.slug, plan.pk])
    assert marketer_client.post(url).status_code == 403
    assert owner_client.post(url).status_code == 303
    assert not Plan.objects.filter(pk=plan.pk).exists()

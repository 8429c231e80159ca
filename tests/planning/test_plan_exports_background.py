"""A plan's export and the dashboard's go through the worker when large, as the
other exports do: asked for on a page, a job, the file for whoever asked only.
Their row counts, made without building the plan's view, are the rows written,
for a draft (lines worked out live) and an approved plan (lines stored)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from notifications.models import Notification
from pacekeeper.spreadsheets import csv_response
from planning import exports, services
from planning.models import Plan
from planning.selectors import plan_view
from tests.factories import (
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    PersonaFactory,
    PlanFactory,
)
from tests.tasks import run_db_worker, run_queued_tasks
from workspaces.models import ExportFile, Job


def _plan(workspace, count: int = 8, name: str = "Q1") -> Plan:
    """``count`` personas: most on two core channels (one with a share too small
    to get a line), every fourth with none (an unplaced line); experiments on a
    channel and without one, and personas none targets (unassigned lines); one
    persona all on where they are; one archived persona, left out."""
    webinars = ChannelFactory(workspace=workspace, name="Webinars")
    podcasts = ChannelFactory(workspace=workspace, name="Podcasts")
    radio = ChannelFactory(workspace=workspace, name="Radio")
    tiny = ChannelFactory(workspace=workspace, name="=Tiny")
    people = []
    for n in range(count):
        persona = PersonaFactory(
            workspace=workspace,
            name=f"P{n:03}",
            priority=n % 5 + 1,
            present_share_override=100 if n == 1 else None,
        )
        if n % 4:
            ChannelUsageFactory(persona=persona, channel=webinars, share=Decimal("60"))
            ChannelUsageFactory(persona=persona, channel=podcasts, share=Decimal("39.99"))
            ChannelUsageFactory(persona=persona, channel=tiny, share=Decimal("0.01"))
        people.append(persona)
    ExperimentFactory(workspace=workspace, status="running", channel=radio, personas=people[::2])
    ExperimentFactory(workspace=workspace, status="planned", channel=None, personas=people[::3])
    gone = PersonaFactory(workspace=workspace, name="Gone", archived=True)
    return PlanFactory(
        workspace=workspace,
        name=name,
        personas=[*people, gone],
        total_effort=Decimal("1000.01"),
        present_share=70,
    )


def _approve(plan: Plan, marketer, reviewer) -> Plan:
    services.plan_submit(plan=plan, user=marketer, expected_version=plan.version)
    plan.refresh_from_db()
    services.plan_approve(plan=plan, user=reviewer, expected_version=plan.version)
    plan.refresh_from_db()
    return plan


def _url(workspace, plan: Plan, fmt: str) -> str:
    return reverse("planning:plan_export", args=[workspace.slug, plan.pk, fmt])


def _dashboard_url(workspace, plan: Plan, fmt: str) -> str:
    return reverse("planning:dashboard_export", args=[workspace.slug, fmt]) + f"?plan={plan.pk}"


def _sheets(response) -> dict[str, list[tuple]]:
    """Every sheet of a CSV or XLSX answer, as rows of values, header first."""
    content = bytes(response.content)
    if response["Content-Type"].startswith("text/csv"):
        return {"csv": [tuple(r) for r in csv.reader(io.StringIO(content.decode("utf-8-sig")))]}
    book = load_workbook(io.BytesIO(content))
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def _written_count(sheets: dict[str, list[tuple]]) -> int:
    return sum(len(rows) - 1 for rows in sheets.values())


def _written(response) -> int:
    return _written_count(_sheets(response))


@pytest.mark.parametrize("approved", [False, True], ids=["draft", "approved"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_count_is_the_rows_written(
    reviewer_client, workspace, marketer, reviewer, settings, approved, fmt
):
    settings.EXPORT_TASK_THRESHOLD = 100_000
    plan = _plan(workspace, 13)
    if approved:
        plan = _approve(plan, marketer, reviewer)
    counted = exports.PLAN.rows(workspace, fmt, {"plan": plan.pk})
    response = reviewer_client.get(_url(workspace, plan, fmt))
    assert response.status_code == 200
    assert counted == _written(response)
    sheets = _sheets(response)
    first = sheets["csv" if fmt == "csv" else "Allocation"]
    assert any(row[2] == "unplaced" for row in first) and any(
        row[2] == "unassigned" for row in first
    )
    tiny, webinars = (sum(row[3] == label for row in first) for label in ("'=Tiny", "Webinars"))
    assert tiny < webinars  # for some personas its share is too small for a line
    if fmt == "xlsx":
        channels = [row[0] for row in sheets["Channels"]]
        assert "Experiments without a channel" in channels and "Unplaced present effort" in channels


def test_the_count_of_a_plan_that_cannot_allocate(reviewer_client, workspace, settings):
    settings.EXPORT_TASK_THRESHOLD = 100_000
    empty = PlanFactory(workspace=workspace)
    for fmt in ("csv", "xlsx"):
        response = reviewer_client.get(_url(workspace, empty, fmt))
        assert exports.PLAN.rows(workspace, fmt, {"plan": empty.pk}) == _written(response)


def test_a_small_plan_export_is_written_at_once_as_before(reviewer_client, workspace, settings):
    settings.EXPORT_TASK_THRESHOLD = 100_000
    plan = _plan(workspace)
    response = reviewer_client.get(_url(workspace, plan, "csv"))
    view = plan_view(plan)
    before = csv_response(
        f"{plan.name} allocation {workspace.effort_unit}",
        exports.LINE_HEADER,
        [*exports.line_rows(view), exports._total_row(view)],
    )
    assert response.content == before.content
    assert response["Content-Disposition"] == before["Content-Disposition"]
    assert response["Content-Disposition"] == 'attachment; filename="q1-allocation-hours.csv"'
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()


def test_a_large_plan_export_asks_first_then_the_worker_writes_it(
    reviewer_client, marketer_client, owner_client, workspace, settings
):
    plan = _plan(workspace)
    settings.EXPORT_TASK_THRESHOLD = 100_000
    at_once = {
        fmt: _sheets(reviewer_client.get(_url(workspace, plan, fmt))) for fmt in ("csv", "xlsx")
    }
    rows = exports.PLAN.rows(workspace, "xlsx", {"plan": plan.pk})
    settings.EXPORT_TASK_THRESHOLD = 5

    page = reviewer_client.get(_url(workspace, plan, "xlsx"))
    text = page.content.decode()
    assert page["Content-Type"].startswith("text/html")
    assert "Export Q1 allocation hours as XLSX" in text and f"{rows} rows" in text
    assert 'method="post"' in text and not Job.objects.exists()

    started = {fmt: reviewer_client.post(_url(workspace, plan, fmt)) for fmt in ("csv", "xlsx")}
    assert all(r.status_code == 303 for r in started.values())
    jobs = Job.objects.order_by("pk")
    assert [j.title for j in jobs] == [
        f"Export of Q1 allocation hours as CSV ({exports.PLAN.rows(workspace, 'csv', {'plan': plan.pk})} rows)",
        f"Export of Q1 allocation hours as XLSX ({rows} rows)",
    ]
    assert "Queued" in reviewer_client.get(started["csv"]["Location"]).content.decode()
    assert run_queued_tasks() == 4  # two files, two e-mails saying so

    for fmt, job in zip(("csv", "xlsx"), jobs, strict=True):
        job.refresh_from_db()
        assert job.status == "done" and job.message == f"q1-allocation-hours.{fmt} is ready: " + (
            f"{_written_count(at_once[fmt])} rows."
        )
        download = reverse("imports:job_download", args=[workspace.slug, job.pk])
        assert download in reviewer_client.get(started[fmt]["Location"]).content.decode()
        file = reviewer_client.get(download)
        assert file["Content-Disposition"] == f'attachment; filename="q1-allocation-hours.{fmt}"'
        assert _sheets(file) == at_once[fmt]  # the rows of the immediate export, Total row too
        assert marketer_client.get(download).status_code == 404
        assert owner_client.get(download).status_code == 404
    assert at_once["csv"]["csv"][-1][0] == "Total"
    assert list(at_once["xlsx"]) == ["Allocation", "Personas", "Channels", "Experiments"]
    assert {n.recipient.email for n in Notification.objects.all()} == {"carol@example.com"}


def test_a_plan_of_another_workspace_exports_nothing(
    reviewer_client, workspace, other_workspace, settings
):
    theirs = _plan(other_workspace, name="Theirs")
    for threshold in (5, 100_000):
        settings.EXPORT_TASK_THRESHOLD = threshold
        for fmt in ("csv", "xlsx"):
            url = _url(workspace, theirs, fmt)
            assert reviewer_client.get(url).status_code == 404
            assert reviewer_client.post(url).status_code == 404
            dashboard = _dashboard_url(workspace, theirs, fmt)
            assert reviewer_client.get(dashboard).status_code == 404
            assert reviewer_client.post(dashboard).status_code == 404
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()


def test_the_dashboard_export_asks_first_and_the_worker_writes_the_same_rows(
    reviewer_client, marketer_client, workspace, settings
):
    plan = _plan(workspace)
    PlanFactory(workspace=workspace, name="Other")  # not the one asked for
    settings.EXPORT_TASK_THRESHOLD = 100_000
    at_once = _sheets(reviewer_client.get(_dashboard_url(workspace, plan, "xlsx")))
    rows = len(at_once["Dashboard"]) - 1
    assert exports.DASHBOARD.rows(workspace, "xlsx", {"plan": str(plan.pk)}) == rows
    settings.EXPORT_TASK_THRESHOLD = rows - 1

    page = reviewer_client.get(_dashboard_url(workspace, plan, "xlsx")).content.decode()
    assert "Export Q1 dashboard hours as XLSX" in page and f"{rows} rows" in page
    assert not Job.objects.exists()
    started = reviewer_client.post(_dashboard_url(workspace, plan, "xlsx"))
    job = Job.objects.get()
    assert started["Location"] == reverse("imports:job", args=[workspace.slug, job.pk])
    assert run_queued_tasks() == 2
    job.refresh_from_db()
    assert job.message == f"q1-dashboard-hours.xlsx is ready: {rows} rows."
    download = reverse("imports:job_download", args=[workspace.slug, job.pk])
    file = reviewer_client.get(download)
    assert _sheets(file) == at_once
    assert file["Content-Disposition"] == 'attachment; filename="q1-dashboard-hours.xlsx"'
    assert marketer_client.get(download).status_code == 404
    settings.EXPORT_TASK_THRESHOLD = rows  # at the threshold: at once
    assert reviewer_client.get(_dashboard_url(workspace, plan, "xlsx"))["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_an_export_of_a_plan_deleted_meanwhile_gives_up(reviewer_client, workspace, settings):
    settings.EXPORT_TASK_THRESHOLD = 5
    plan = _plan(workspace)
    reviewer_client.post(_url(workspace, plan, "csv"))
    plan.delete()
    run_queued_tasks()
    job = Job.objects.get()
    assert job.status == "failed"
    assert job.message == "What this export was of is gone: nothing was written."
    assert not ExportFile.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_writes_a_large_plan_export(workspace, reviewer, settings):
    settings.EXPORT_TASK_THRESHOLD = 5
    plan = _plan(workspace)
    carol = Client()
    carol.force_login(reviewer)
    location = carol.post(_url(workspace, plan, "csv"))["Location"]
    run_db_worker()
    job = Job.objects.get()
    assert job.status == "done"
    assert location == reverse("imports:job", args=[workspace.slug, job.pk])
    lines = bytes(ExportFile.objects.get(job=job).data).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Persona,Where,Line") and lines[-1].startswith("Total,")
    assert len(lines) - 1 == exports.PLAN.rows(workspace, "csv", {"plan": plan.pk})

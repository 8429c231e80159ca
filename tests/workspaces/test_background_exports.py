"""Large exports run in the worker: asked for on a page, a progress page, the
file downloaded by whoever asked only, who is told when it is ready. Smaller
exports stay in the request."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from notifications.models import Notification
from personas.models import Persona
from tests.factories import (
    ChannelUsageFactory,
    ExperimentFactory,
    ExperimentResultFactory,
    PersonaFactory,
)
from tests.tasks import run_db_worker, run_queued_tasks
from workspaces.models import ExportFile, Job


@pytest.fixture(autouse=True)
def small_threshold(settings):
    settings.EXPORT_TASK_THRESHOLD = 5


def export_url(workspace, fmt: str = "csv", name: str = "personas:export") -> str:
    return reverse(name, args=[workspace.slug, fmt])


def personas(workspace, count: int) -> None:
    for n in range(count):
        PersonaFactory(workspace=workspace, name=f"Persona {n}")


def test_an_export_up_to_the_threshold_stays_in_the_request(reviewer_client, workspace):
    personas(workspace, 5)
    response = reviewer_client.get(export_url(workspace))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "Persona 4" in response.content.decode("utf-8-sig")
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()


def test_a_larger_export_asks_first_and_starts_nothing_on_a_get(reviewer_client, workspace):
    personas(workspace, 6)
    page = reviewer_client.get(export_url(workspace))
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    text = page.content.decode()
    assert "Export personas as CSV" in text and "6 rows" in text
    assert 'method="post"' in text and "Prepare CSV file" in text
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()


def test_a_workbook_counts_the_rows_of_every_sheet(reviewer_client, workspace):
    experiment = ExperimentFactory(workspace=workspace)
    for _ in range(5):
        ExperimentResultFactory(experiment=experiment)
    csv = reviewer_client.get(export_url(workspace, "csv", "experiments:export"))
    assert csv["Content-Type"].startswith("text/csv")  # one experiment
    xlsx = reviewer_client.get(export_url(workspace, "xlsx", "experiments:export"))
    assert xlsx["Content-Type"].startswith("text/html")  # and five results: 6 rows
    assert (
        "Export experiments as XLSX" in xlsx.content.decode() and "6 rows" in xlsx.content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_the_worker_writes_a_large_export_for_whoever_asked_only(
    workspace, owner, marketer, reviewer, outsider
):
    personas(workspace, 7)
    carol, bob, alice, mallory = Client(), Client(), Client(), Client()
    for client, user in [(carol, reviewer), (bob, marketer), (alice, owner), (mallory, outsider)]:
        client.force_login(user)
    started = carol.post(export_url(workspace))
    job = Job.objects.get()
    assert started.status_code == 303
    assert started["Location"] == reverse("imports:job", args=[workspace.slug, job.pk])
    page = carol.get(started["Location"]).content.decode()
    assert "Export of personas as CSV (7 rows)" in page and "Queued" in page
    assert 'data-hx-trigger="every 1s"' in page  # htmx polls the bar
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert not ExportFile.objects.exists()

    run_db_worker()

    job.refresh_from_db()
    assert (job.status, job.progress) == ("done", 100)
    assert job.message == "northwind-personas.csv is ready: 7 rows."
    told = Notification.objects.get()
    assert (told.recipient, told.kind, told.url) == (reviewer, "job_finished", started["Location"])
    assert [m.to for m in mail.outbox] == [["carol@example.com"]]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}

    page = carol.get(started["Location"]).content.decode()
    download = reverse("imports:job_download", args=[workspace.slug, job.pk])
    assert f'href="{download}" download="northwind-personas.csv">Download the file' in page
    assert "data-hx-trigger" not in page and "http-equiv" not in page  # done: no more polling
    file = carol.get(download)
    assert file.status_code == 200 and file["Content-Type"].startswith("text/csv")
    assert file["Content-Disposition"] == 'attachment; filename="northwind-personas.csv"'
    lines = bytes(file.content).decode("utf-8-sig").splitlines()
    assert len(lines) == 8 and lines[1].startswith("Persona 0,")

    # The owner sees the job among the workspace's work, but not the file.
    assert "Download" not in alice.get(started["Location"]).content.decode()
    assert alice.get(download).status_code == 404
    assert bob.get(download).status_code == 404
    assert mallory.get(download).status_code == 404
    assert mallory.get(started["Location"]).status_code == 404


def test_a_reviewer_sees_only_the_work_they_started(
    reviewer_client, marketer_client, workspace, marketer, reviewer
):
    personas(workspace, 6)
    ChannelUsageFactory(persona=Persona.objects.first())  # the workbook's second sheet
    mine = reviewer_client.post(export_url(workspace))["Location"]
    theirs = marketer_client.post(export_url(workspace, "xlsx"))["Location"]
    assert reviewer_client.get(mine).status_code == 200
    assert reviewer_client.get(theirs).status_code == 404
    assert marketer_client.get(mine).status_code == 200  # editors follow every job
    assert run_queued_tasks() == 4  # two exports, two e-mails telling each
    told = Notification.objects.order_by("recipient__email")
    assert [(n.recipient.email, n.title) for n in told] == [
        ("bob@example.com", "Export of personas as XLSX (7 rows): done"),
        ("carol@example.com", "Export of personas as CSV (6 rows): done"),
    ]


def test_the_export_pages_are_valid_html(reviewer_client, workspace, tmp_path):
    from tests.test_valid_html import nu_errors, vnu_command

    vnu_command()  # skipped (or failed in CI) when the checker is missing
    personas(workspace, 6)
    (tmp_path / "ask.html").write_bytes(reviewer_client.get(export_url(workspace)).content)
    job = reviewer_client.post(export_url(workspace))["Location"]
    (tmp_path / "queued.html").write_bytes(reviewer_client.get(job).content)
    run_queued_tasks()
    (tmp_path / "done.html").write_bytes(reviewer_client.get(job).content)
    assert nu_errors(tmp_path) == []


def test_a_large_recorded_effort_export_keeps_the_list_filters(
    reviewer_client, reviewer, workspace
):
    from tests.factories import ActualFactory, ChannelFactory, PlanFactory

    plan = PlanFactory(workspace=workspace, name="Q1 plan")
    blog, radio = ChannelFactory(workspace=workspace), ChannelFactory(workspace=workspace)
    for n in range(6):
        ActualFactory(plan=plan, channel=blog, amount=n + 1)
    ActualFactory(plan=plan, channel=radio, amount=99)
    url = export_url(workspace, "csv", "planning:actual_export") + f"?channel={blog.pk}"
    page = reviewer_client.get(url)
    assert (
        "Export recorded effort as CSV" in page.content.decode()
        and "6 rows" in page.content.decode()
    )
    job = reviewer_client.post(url)["Location"]
    assert run_queued_tasks() == 2  # the export and the e-mail saying it is ready
    done = Job.objects.get()
    assert done.message == "northwind-recorded-effort.csv is ready: 6 rows."
    download = reverse("imports:job_download", args=[workspace.slug, done.pk])
    assert download in reviewer_client.get(job).content.decode()
    lines = bytes(reviewer_client.get(download).content).decode("utf-8-sig").splitlines()
    assert len(lines) == 7 and not any(",99" in line for line in lines)  # the radio row left out
    radio_only = export_url(workspace, "csv", "planning:actual_export") + f"?channel={radio.pk}"
    assert reviewer_client.get(radio_only)["Content-Type"].startswith("text/csv")  # one row


def test_old_export_files_are_pruned_and_their_jobs_kept(reviewer_client, workspace, reviewer):
    from datetime import timedelta
    from io import StringIO

    import time_machine
    from django.core.management import call_command
    from django.utils import timezone

    personas(workspace, 6)
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        old = reviewer_client.post(export_url(workspace))["Location"]
        run_queued_tasks()
    new = reviewer_client.post(export_url(workspace, "xlsx"))["Location"]
    run_queued_tasks()
    out = StringIO()
    call_command("prune_exports", stdout=out)
    assert out.getvalue().strip() == "1 export file deleted."
    assert ExportFile.objects.get().job.title.startswith("Export of personas as XLSX")
    assert Job.objects.count() == 2
    assert "Download the file" not in reviewer_client.get(old).content.decode()
    assert "Download the file" in reviewer_client.get(new).content.decode()

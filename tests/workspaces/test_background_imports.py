"""Large imports run in the worker: progress, retries with back-off, failures shown to owners."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications.models import Notification
from personas.models import Persona
from tests.factories import MembershipFactory, UserFactory, WorkspaceFactory
from tests.tasks import let_pauses_pass, run_db_worker, run_queued_tasks
from workspaces import registry
from workspaces.models import ImportBatch, Job

HEADER = "name,role_title,segment,adoption_stage,priority\n"


def rows(count: int, *, bad: bool = False) -> str:
    lines = [f"Persona {n},Role {n},Segment,innovator,3" for n in range(count)]
    if bad:
        lines[-1] = "Broken,Role,Segment,innovator,99"
    return HEADER + "\n".join(lines) + "\n"


@pytest.fixture(autouse=True)
def small_threshold(settings):
    settings.IMPORT_TASK_THRESHOLD = 3


def upload_and_commit(client, workspace, text: str):
    upload = client.post(
        reverse("imports:upload", args=[workspace.slug, "personas"]),
        {"file": SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")},
    )
    assert upload.status_code == 303
    batch = ImportBatch.objects.get()
    return client.post(reverse("imports:commit", args=[workspace.slug, batch.pk]))


def test_a_small_import_stays_in_the_request(marketer_client, workspace):
    response = upload_and_commit(marketer_client, workspace, rows(3))
    assert response.status_code == 303
    assert Persona.objects.filter(workspace=workspace).count() == 3
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()


def test_a_large_import_runs_in_the_worker_with_a_progress_page(
    marketer_client, marketer, workspace
):
    response = upload_and_commit(marketer_client, workspace, rows(4))
    job = Job.objects.get()
    assert response["Location"] == reverse("imports:job", args=[workspace.slug, job.pk])
    assert Persona.objects.filter(workspace=workspace).count() == 0  # not in the request
    page = marketer_client.get(response["Location"]).content.decode()
    assert "Import of people.csv (4 rows)" in page and "Queued" in page
    assert 'data-hx-trigger="every 1s"' in page  # htmx polls the bar
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    fragment = marketer_client.get(response["Location"], headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<section id="job-progress"')

    assert run_queued_tasks() == 2  # the import, then the e-mail telling Bob
    assert Persona.objects.filter(workspace=workspace).count() == 4
    job.refresh_from_db()
    assert (job.status, job.progress, job.attempts) == ("done", 100, 1)
    assert job.message == "Imported 4 new and 0 updated personas."
    assert not ImportBatch.objects.exists()
    page = marketer_client.get(response["Location"]).content.decode()
    assert "Imported 4 new and 0 updated personas." in page
    assert "http-equiv" not in page and "every 1s" not in page  # finished: no more polling
    assert reverse("personas:list", args=[workspace.slug]) in page
    told = Notification.objects.get()  # whoever started it, and only them
    assert (told.recipient, told.kind) == (marketer, "job_finished")
    assert told.title == "Import of people.csv (4 rows): done"
    assert told.url == job.get_absolute_url()


def test_the_import_task_runs_twice_without_importing_twice(marketer_client, workspace):
    upload_and_commit(marketer_client, workspace, rows(4))
    job = Job.objects.get()
    from workspaces.tasks import run_import

    run_import.enqueue(job.pk)  # the same work queued again
    assert run_queued_tasks() == 3  # twice the import, once the e-mail
    assert Persona.objects.filter(workspace=workspace).count() == 4


def test_committing_again_while_it_runs_queues_nothing_more(marketer_client, workspace):
    upload_and_commit(marketer_client, workspace, rows(4))
    batch = ImportBatch.objects.get()
    again = marketer_client.post(reverse("imports:commit", args=[workspace.slug, batch.pk]))
    assert again["Location"] == Job.objects.get().get_absolute_url()
    assert DBTaskResult.objects.count() == 1
    cancel = marketer_client.post(reverse("imports:cancel", args=[workspace.slug, batch.pk]))
    assert cancel.status_code == 303 and ImportBatch.objects.exists()  # too late to cancel


@pytest.fixture
def failing_commit(monkeypatch):
    calls = []

    def commit(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("the disk is full")

    index = next(i for i, k in enumerate(registry.IMPORT_KINDS) if k.key == "personas")
    kind = dataclasses.replace(registry.IMPORT_KINDS[index], commit=commit)
    monkeypatch.setattr(
        registry,
        "IMPORT_KINDS",
        [*registry.IMPORT_KINDS[:index], kind, *registry.IMPORT_KINDS[index + 1 :]],
    )
    return calls


def test_a_failing_import_retries_with_back_off_then_shows_as_failed_to_owners(
    marketer_client, owner_client, owner, workspace, failing_commit
):
    upload_and_commit(marketer_client, workspace, rows(4))
    job = Job.objects.get()
    started = timezone.now()

    assert run_queued_tasks() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("retrying", 1)
    assert not Notification.objects.exists()  # not yet: it will be tried again
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    first_pause = retry.run_after - started
    assert timedelta(seconds=29) < first_pause < timedelta(seconds=40)
    assert run_queued_tasks() == 0  # not before its pause is over

    let_pauses_pass()
    moment = timezone.now()
    assert run_queued_tasks() == 1
    second = DBTaskResult.objects.filter(status="READY").get()
    assert timedelta(seconds=59) < second.run_after - moment < timedelta(seconds=70)  # doubled

    let_pauses_pass()
    assert run_queued_tasks() == 2  # the last attempt, and the e-mail saying it failed
    assert not DBTaskResult.objects.filter(status="READY").exists()  # three attempts, no more
    assert len(failing_commit) == 3
    assert DBTaskResult.objects.filter(status="FAILED").count() == 3
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("failed", 3)
    assert "the disk is full" in job.message
    assert Persona.objects.filter(workspace=workspace).count() == 0
    told = Notification.objects.get()
    assert (told.recipient.email, told.title) == (
        "bob@example.com",
        "Import of people.csv (4 rows): failed",
    )

    page = owner_client.get(reverse("team:jobs", args=[workspace.slug])).content.decode()
    assert "Import of people.csv (4 rows)" in page
    assert "badge-job-failed" in page and "the disk is full" in page and "3 attempts" in page


def test_rows_in_error_fail_at_once_without_retries(marketer_client, workspace):
    upload_and_commit(marketer_client, workspace, rows(4, bad=True))
    assert run_queued_tasks() == 2  # the import and the e-mail saying it failed
    job = Job.objects.get()
    assert (job.status, job.attempts) == ("failed", 1)
    assert job.message == "Nothing was imported: some rows need fixing first."
    assert not DBTaskResult.objects.filter(status="READY").exists()
    page = marketer_client.get(job.get_absolute_url()).content.decode()
    assert "Back to the check" in page


def test_a_job_of_another_workspace_is_not_found(marketer_client, workspace, outsider_client):
    upload_and_commit(marketer_client, workspace, rows(4))
    job = Job.objects.get()
    assert outsider_client.get(job.get_absolute_url()).status_code == 404
    other = WorkspaceFactory(slug="other")
    MembershipFactory(workspace=other, user=UserFactory(), role="owner")
    url = reverse("imports:job", args=["elsewhere", job.pk])
    assert outsider_client.get(url).status_code == 404


def test_the_owners_list_is_paged_with_the_same_queries_at_two_sizes(
    owner_client, owner, workspace
):
    def make(count: int) -> None:
        Job.objects.bulk_create(
            Job(workspace=workspace, title=f"Import {n}", started_by=owner) for n in range(count)
        )

    url = reverse("team:jobs", args=[workspace.slug])
    make(3)
    with CaptureQueriesContext(connection) as small:
        assert owner_client.get(url).status_code == 200
    make(80)
    with CaptureQueriesContext(connection) as large:
        page = owner_client.get(url).content.decode()
    assert len(small) == len(large) <= 12
    assert page.count("<tr") == 26  # the header and one page of 25
    assert "Page 1 of 4" in page
    assert "Page 4 of 4" in owner_client.get(url + "?page=4").content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_runs_a_queued_import(workspace, marketer):
    client = Client()
    client.force_login(marketer)
    upload_and_commit(client, workspace, rows(5))
    run_db_worker()
    assert Persona.objects.filter(workspace=workspace).count() == 5
    assert Job.objects.get().status == "done"
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert [m.to for m in mail.outbox] == [["bob@example.com"]]

"""The Redis queue (TASKS_BACKEND=rq): a task queued by the app is run by an
RQ worker against the test database. Skipped only when no Redis server
answers on 127.0.0.1:6379."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.base import TaskResultStatus

from notifications.kinds import Kind
from notifications.models import Notification
from notifications.services import notify
from pacekeeper.tasks import backoff_delay
from workspaces.models import Job

# A database of its own on the local server, emptied before and after.
REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def rq_queue(settings):
    """The app's tasks going to Redis, and the queue they land in."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    import django_rq
    from django_tasks_rq.backend import Job as TaskJob

    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default", job_class=TaskJob)
    queue.connection.flushdb()
    yield queue
    queue.connection.flushdb()


def run_rq_worker(queue, *, with_scheduler: bool = False) -> None:
    """What ``manage.py rqworker default --burst`` runs, in this process so that
    it reads the test's database (the command would close its connection first)."""
    import django_rq
    from django_tasks_rq.backend import Job as TaskJob
    from rq.worker import SimpleWorker

    worker = django_rq.get_worker("default", worker_class=SimpleWorker, job_class=TaskJob)
    worker.work(burst=True, with_scheduler=with_scheduler)


def test_a_task_queued_in_redis_is_run_by_an_rq_worker(
    rq_queue, workspace, owner, marketer, django_capture_on_commit_callbacks
):
    assert type(task_backends["default"]).__name__ == "RQBackend"
    with django_capture_on_commit_callbacks(execute=True) as queued:
        [made] = notify(
            workspace, Kind.MEMBER_JOINED, [owner.pk], title="Bob joined Northwind", key="t:1"
        )
        assert rq_queue.count == 0  # Redis hears of it once the data is committed
    assert len(queued) == 1 and rq_queue.count == 1
    [job_id] = rq_queue.job_ids
    assert task_backends["default"].get_result(job_id).status == TaskResultStatus.READY
    assert mail.outbox == []

    run_rq_worker(rq_queue)

    assert rq_queue.count == 0
    result = task_backends["default"].get_result(job_id)
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == "sent"
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert mail.outbox[0].subject == "Bob joined Northwind · Northwind"
    made.refresh_from_db()
    assert made.emailed_at is not None


def release_scheduled(queue) -> int:
    """Every retry waiting out its back-off is due now; how many."""
    from rq.registry import ScheduledJobRegistry

    scheduled = ScheduledJobRegistry(queue=queue)
    ids = scheduled.get_job_ids()
    for job_id in ids:
        scheduled.remove(job_id)
        queue.enqueue_job(queue.fetch_job(job_id))
    return len(ids)


def test_a_failing_task_on_redis_is_retried_with_back_off_then_shown_failed(
    rq_queue, workspace, owner, monkeypatch
):
    """Each retry waits in RQ's schedule for its back-off (60 s, then twice as
    long each time); after the last attempt the owners see the failure."""
    from rq.registry import ScheduledJobRegistry

    from notifications import tasks

    def refuse(notification):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr(tasks, "_send", refuse)
    notification = Notification.objects.create(
        workspace=workspace, recipient=owner, kind=Kind.MEMBER_JOINED, title="Hello",
        in_app=False, email=True, key="t:2",
    )  # fmt: skip
    tasks.send_notification_email.enqueue(notification.pk)
    scheduled = ScheduledJobRegistry(queue=rq_queue)
    pauses = []
    for _ in range(1, tasks.EMAIL_ATTEMPTS):
        run_rq_worker(rq_queue)
        [retry] = scheduled.get_job_ids()
        pauses.append(scheduled.get_scheduled_time(retry) - timezone.now())
        assert not Job.objects.exists()  # not failed yet: it will be tried again
        assert release_scheduled(rq_queue) == 1
    run_rq_worker(rq_queue)  # the last attempt
    assert scheduled.get_job_ids() == [] and rq_queue.count == 0
    expected = [backoff_delay(attempt, 60) for attempt in range(1, tasks.EMAIL_ATTEMPTS)]
    assert expected == [timedelta(seconds=s) for s in (60, 120, 240, 480)]
    assert all(
        abs(pause - want) < timedelta(seconds=30)
        for pause, want in zip(pauses, expected, strict=True)
    )
    failed = Job.objects.get(workspace=workspace)
    assert failed.status == Job.Status.FAILED and failed.attempts == tasks.EMAIL_ATTEMPTS
    assert "the mail server is down" in failed.message
    notification.refresh_from_db()
    assert notification.emailed_at is None and mail.outbox == []

"""Running queued background tasks in tests, with the database worker's own code."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_queued_tasks(*, limit: int = 100) -> int:
    """Run every task that is due, as ``manage.py db_worker`` would (claim, run,
    record success or failure), inside the test's transaction; returns how many
    ran. Tasks queued while running (a retry not yet due) wait."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit:
        with transaction.atomic():
            result = DBTaskResult.objects.ready().get_locked()
            if result is not None:
                result.claim(worker.worker_id)
        if result is None:
            return ran
        worker.run_task(result)
        ran += 1
    return ran


def let_pauses_pass() -> None:
    """The back-off pause of every queued retry is over."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def run_db_worker() -> None:
    """``manage.py db_worker --batch``: the real worker runs every queued task
    and stops (needs a test with ``transaction=True``, as the worker commits).
    The signal handlers it installs are put back afterwards."""
    import signal

    from django.core.management import call_command

    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)

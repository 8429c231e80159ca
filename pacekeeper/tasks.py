"""Background tasks: Django's task framework (the django-tasks backport), with retries.

``retrying_task`` makes a task that, when it raises, queues itself again after
a growing pause (``backoff`` seconds, doubled each time) until ``attempts`` runs
have failed; ``on_failure`` hears of every failure, told whether it was the
last, so the app can show "retrying" or "failed". ``GiveUp`` ends a task at
once, without retries: for outcomes no retry can change (rows that need fixing).

Tasks take plain ids and look their objects up, and check what is already done
before doing it, so a retry or a duplicate run changes nothing twice.

``enqueue`` queues a task with the data it needs: the database queue commits
with the request's transaction; another queue (Redis) is told only after it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db import DatabaseBackend

logger = logging.getLogger(__name__)

FailureHook = Callable[[tuple, dict, BaseException, bool], None]


class GiveUp(Exception):
    """A task that cannot succeed however often it runs: fail it now."""


def backoff_delay(attempt: int, backoff: float) -> timedelta:
    """The pause before run ``attempt + 1``: ``backoff``, then twice as long each time."""
    return timedelta(seconds=backoff * 2 ** (attempt - 1))


def retrying_task(
    *,
    attempts: int = 4,
    backoff: float = 30,
    on_failure: FailureHook | None = None,
    **options: Any,
):
    """A task (``django_tasks.task``) that retries itself with back-off.

    The function receives ``attempt`` (1 on the first run) as a keyword."""

    def decorate(func: Callable[..., Any]):
        @functools.wraps(func)
        def run(*args: Any, attempt: int = 1, **kwargs: Any) -> Any:
            try:
                return func(*args, attempt=attempt, **kwargs)
            except Exception as problem:
                final = isinstance(problem, GiveUp) or attempt >= attempts
                logger.warning(
                    "Task %s failed (attempt %d of %d)%s: %s",
                    func.__name__,
                    attempt,
                    attempts,
                    "" if final else ", retrying",
                    problem,
                )
                if not final:
                    later = timezone.now() + backoff_delay(attempt, backoff)
                    this.using(run_after=later).enqueue(*args, attempt=attempt + 1, **kwargs)
                if on_failure is not None:
                    on_failure(args, kwargs, problem, final)
                raise

        this = task(**options)(run)
        return this

    return decorate


def enqueue(this, *args: Any, **kwargs: Any) -> None:
    """Queue ``this`` to run in the worker, once the data it reads is committed."""
    if isinstance(this.get_backend(), DatabaseBackend):
        this.enqueue(*args, **kwargs)  # the queue row commits with the data
    else:
        transaction.on_commit(lambda: this.enqueue(*args, **kwargs))

"""Periodic work, run by the worker: announcing new pressing signals and sending
each workspace's digest on its day and hour.

``tick`` runs every ``TICK`` and queues the next one. The ``Clock`` row keeps
it one chain: a tick queues a successor only if it moves the clock forward,
so a duplicate tick merges back into the chain. ``start`` (``manage.py
start_schedules``) begins the chain, or restarts it if it stopped.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from notifications.digest import this_weeks_moment, week_key
from notifications.kinds import Kind
from notifications.models import Clock, SignalSeen
from notifications.registry import SIGNAL_SOURCES
from notifications.services import in_app_only, members, notify
from pacekeeper.tasks import retrying_task
from workspaces.models import Workspace
from workspaces.roles import Role

TICK = timedelta(minutes=10)
# A digest goes out at its hour or, should the worker have been stopped then,
# up to this long after; later than that, that week's digest is skipped.
DIGEST_GRACE = timedelta(hours=6)
CLOCK = "schedules"


def announce_signals(workspace: Workspace) -> int:
    """Tell marketers and owners of each pressing signal not announced before; how many.
    Signals are read on the workspace's own day (the plan covering today)."""
    with timezone.override(workspace.zone):
        found = [signal for source in SIGNAL_SOURCES for signal in source(workspace)]
    seen = set(
        SignalSeen.objects.in_workspace(workspace)
        .filter(key__in=[s.key for s in found])
        .values_list("key", flat=True)
    )
    fresh = []
    for signal in found:  # each key once, should two signals share one
        if signal.key not in seen:
            seen.add(signal.key)
            fresh.append(signal)
    for signal in fresh:
        with transaction.atomic():
            SignalSeen.objects.create(workspace=workspace, key=signal.key)
            notify(
                workspace,
                Kind.SIGNAL,
                members(workspace, [Role.MARKETER, Role.OWNER]),
                title=signal.text,
                url=signal.url,
                key=f"signal:{signal.key}",
            )
    return len(fresh)


@contextmanager
def seeding_demo(workspace: Workspace):
    """The demo's seeding tells people in the app only; the signals its data
    raises are told then too (in the app), so the worker finds nothing new to
    e-mail once it starts."""
    with in_app_only():
        yield
        announce_signals(workspace)


def send_digest_if_due(workspace: Workspace, now: datetime) -> bool:
    """Queue this week's digest for every member once its moment has come."""
    moment = this_weeks_moment(workspace, now)
    if not moment <= now < moment + DIGEST_GRACE:
        return False
    notify(
        workspace,
        Kind.DIGEST,
        members(workspace),
        title=f"Your week in {workspace.name}",
        key=week_key(moment),
    )
    return True


def run(now: datetime | None = None) -> None:
    now = now or timezone.now()
    for workspace in Workspace.objects.order_by("pk").iterator():
        announce_signals(workspace)
        send_digest_if_due(workspace, now)


@retrying_task(attempts=3, backoff=30)
def tick(*, attempt: int = 1) -> str:
    run()
    later = timezone.now() + TICK
    moved = Clock.objects.filter(name=CLOCK, next_run__lt=later - TICK / 2).update(next_run=later)
    if moved:
        tick.using(run_after=later).enqueue()
    return "ticked"


def start(now: datetime | None = None) -> bool:
    """Begin the chain of ticks unless one is on its way; whether it began one."""
    now = now or timezone.now()
    clock, created = Clock.objects.get_or_create(name=CLOCK, defaults={"next_run": now})
    if not created and clock.next_run > now - 2 * TICK:
        return False  # a tick is due soon: the chain runs
    Clock.objects.filter(pk=clock.pk).update(next_run=now)
    tick.enqueue()
    return True

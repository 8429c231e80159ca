"""Experiments' part of the weekly digest: those whose status changed this week."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse

from experiments.models import Experiment, Status
from notifications.registry import DigestLine, DigestSection
from workspaces.models import Workspace

SHOWN = 8


def _label(status: str | None) -> str:
    return Status(status).label if status in Status.values else "New"


def status_changes(workspace: Workspace, since: datetime) -> list[tuple[int, str, str, str]]:
    """(id, title, status before the week, status now) of each experiment whose
    status moved this week, read from the history of those changed this week
    (one query)."""
    changed = Experiment.history.filter(workspace=workspace, history_date__gte=since).values("id")
    rows = (
        Experiment.history.filter(workspace=workspace, id__in=changed)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "title", "status", "history_type", "history_date")
    )
    before: dict[int, str | None] = {}
    latest: dict[int, tuple[str, str | None]] = {}
    for pk, title, status, kind, when in rows:
        if when < since:
            before[pk] = status  # the last one before the week wins
        else:
            latest[pk] = (title, None if kind == "-" else status)
    changes = [
        (pk, title, before.get(pk), now)
        for pk, (title, now) in latest.items()
        if now is not None and before.get(pk) != now
    ]
    return sorted(changes, key=lambda change: change[1].lower())


def digest_sections(workspace: Workspace, *, since: datetime) -> list[DigestSection]:
    changes = status_changes(workspace, since)
    lines = [
        DigestLine(
            title,
            reverse("experiments:detail", args=[workspace.slug, pk]),
            f"{_label(was)} → {_label(now)}",
        )
        for pk, title, was, now in changes[:SHOWN]
    ]
    return [
        DigestSection(
            30,
            "Experiments that changed status",
            lines,
            empty="No experiment moved this week.",
            more=max(0, len(changes) - SHOWN),
        )
    ]

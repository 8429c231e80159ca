"""What planning tells people: its pressing signals, and its part of the weekly digest."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from notifications.registry import DigestLine, DigestSection, PressingSignal
from planning.dashboard import SignalKind, situation
from planning.models import PlanStatus
from workspaces.models import Workspace

# Signals worth telling people about as they appear; the others wait for the digest.
PRESSING = (SignalKind.DRIFT, SignalKind.PERSONA_DRIFT, SignalKind.READY, SignalKind.EMERGING)
TOP_SIGNALS = 5
SHOWN = 8


def pressing_signals(workspace: Workspace) -> list[PressingSignal]:
    return [
        PressingSignal(signal.key, signal.text, signal.url)
        for signal in situation(workspace, with_pace=False).signals
        if signal.kind in PRESSING and signal.key
    ]


def _split(data) -> DigestSection:
    view = data.view
    if data.plan is None or view is None:
        return DigestSection(10, "The split", empty="No plan yet.")
    target = f"{view.target_share} / {100 - view.target_share}"
    lines = [DigestLine(f"{data.plan.name}: target", data.plan.get_absolute_url(), target)]
    if view.present + view.future:
        planned = float(view.present * 100 / (view.present + view.future))
        lines.append(DigestLine("Planned", "", f"{planned:.0f} / {100 - planned:.0f}"))
    if view.actual_share is None:
        lines.append(DigestLine("Actual", "", "no effort recorded yet"))
    else:
        actual = view.actual_share
        off = f" ({abs(view.drift):.1f} points off)" if view.drift else ""
        lines.append(DigestLine("Actual", "", f"{actual:.0f} / {100 - actual:.0f}{off}"))
    return DigestSection(10, "The split", lines)


def _personas_due(data) -> DigestSection:
    due = sorted((p for p in data.personas.values() if p.is_stale), key=lambda p: p.last_reviewed)
    lines = [
        DigestLine(
            p.name,
            p.get_absolute_url(),
            f"last reviewed {timezone.localtime(p.last_reviewed):%-d %b %Y}",
        )
        for p in due[:SHOWN]
    ]
    return DigestSection(
        40, "Personas due for review", lines, "No persona is due.", max(0, len(due) - SHOWN)
    )


def digest_sections(workspace: Workspace, *, since: datetime) -> list[DigestSection]:
    """The split, the top signals, personas due for review and plans waiting:
    planning reads them all in one pass over the workspace."""
    data = situation(workspace, with_pace=False)
    signals = [DigestLine(s.text, s.url) for s in data.signals]
    waiting = [
        DigestLine(
            plan.name, plan.get_absolute_url(), f"{plan.start:%-d %b} – {plan.end:%-d %b %Y}"
        )
        for plan in data.plans
        if plan.status == PlanStatus.IN_REVIEW
    ]
    return [
        _split(data),
        DigestSection(
            20,
            "Top signals",
            signals[:TOP_SIGNALS],
            empty="Nothing needs attention.",
            more=max(0, len(signals) - TOP_SIGNALS),
        ),
        _personas_due(data),
        DigestSection(
            50,
            "Plans waiting for review",
            waiting[:SHOWN],
            empty="No plan is waiting.",
            more=max(0, len(waiting) - SHOWN),
        ),
    ]

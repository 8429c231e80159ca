"""Plan workflows: create, edit, try ratios, review, approve (freezing the lines), copy."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications.kinds import Kind
from notifications.services import members, notify
from personas.models import Persona
from planning.allocation import LineKind
from planning.models import (
    SNOOZE_DAYS,
    Plan,
    PlanLine,
    PlanPersona,
    PlanStatus,
    ReviewAction,
    ReviewStep,
    SignalDismissal,
)
from planning.selectors import WhatIf, plan_view
from workspaces.models import Workspace
from workspaces.roles import Role
from workspaces.versioning import delete_for_good, save_new, save_versioned

if TYPE_CHECKING:
    from accounts.models import User


class PlanStateError(Exception):
    """The plan's status does not allow this step; the message says why."""


def _step(plan: Plan, action: str, user: User | None, comment: str = "") -> ReviewStep:
    return ReviewStep.objects.create(
        workspace=plan.workspace, plan=plan, action=action, user=user, comment=comment
    )


def _require_editable(plan: Plan) -> None:
    if not plan.is_editable:
        raise PlanStateError(
            f"This plan is {plan.get_status_display().lower()}: it can no longer be changed."
        )


def plan_set_personas(*, plan: Plan, personas: list[Persona]) -> None:
    """The plan's personas: new ones join at their priority; the others keep their settings."""
    workspace = plan.workspace
    members = PlanPersona.objects.in_workspace(workspace).filter(plan=plan)
    wanted = {p.pk: p for p in personas}
    members.exclude(persona_id__in=wanted).delete()
    have = set(members.values_list("persona_id", flat=True))
    PlanPersona.objects.bulk_create(
        PlanPersona(
            workspace=workspace, plan=plan, persona=persona, weight=Decimal(persona.priority)
        )
        for pk, persona in sorted(wanted.items())
        if pk not in have
    )


@transaction.atomic
def plan_create(*, workspace: Workspace, plan: Plan, personas: list[Persona], user: User) -> Plan:
    save_new(
        plan, user=user, workspace=workspace, status=PlanStatus.DRAFT, created_by=user,
        updated_by=user,
    )  # fmt: skip
    plan_set_personas(plan=plan, personas=personas)
    _step(plan, ReviewAction.CREATED, user)
    return plan


@transaction.atomic
def plan_update(
    *, plan: Plan, personas: list[Persona], expected_version: int, user: User, fields: list[str]
) -> None:
    _require_editable(plan)
    save_versioned(plan, expected_version=expected_version, user=user, update_fields=fields)
    plan_set_personas(plan=plan, personas=personas)


@transaction.atomic
def plan_save_whatif(*, plan: Plan, whatif: WhatIf, expected_version: int, user: User) -> None:
    """Keep the ratios and weights that were being tried. The whole plan must be
    unchanged since the page was opened: what-if values depend on all of it."""
    _require_editable(plan)
    plan.present_share = whatif.present_share
    if whatif.balance is not None:
        plan.balanced = whatif.balance
    save_versioned(plan, expected_version=expected_version, user=user)
    members = PlanPersona.objects.in_workspace(plan.workspace).filter(plan=plan)
    for member in members:
        weight = whatif.weights.get(member.pk, member.weight)
        share = whatif.shares.get(member.pk, member.present_share_override)
        if (weight, share) != (member.weight, member.present_share_override):
            member.weight, member.present_share_override = weight, share
            member._history_user = user
            member.save(update_fields=["weight", "present_share_override"])


@transaction.atomic
def plan_submit(*, plan: Plan, user: User, expected_version: int, comment: str = "") -> None:
    _require_editable(plan)
    view = plan_view(plan)
    if view.error:
        raise PlanStateError(f"This plan cannot be submitted yet: {view.error}")
    plan.status = PlanStatus.IN_REVIEW
    save_versioned(
        plan, expected_version=expected_version, user=user, update_fields=["status"], merge=False
    )
    step = _step(plan, ReviewAction.SUBMITTED, user, comment.strip())
    notify(
        plan.workspace,
        Kind.PLAN_SUBMITTED,
        members(plan.workspace, [Role.REVIEWER, Role.OWNER]),
        title=f"{user.display_name} submitted {plan.name} for review",
        body=step.comment,
        url=plan.get_absolute_url(),
        actor=user,
        key=f"plan:{plan.pk}:step:{step.pk}",
    )


@transaction.atomic
def plan_approve(*, plan: Plan, user: User, expected_version: int, comment: str = "") -> None:
    """Approve and freeze: the allocation as it stands is stored, line by line."""
    if plan.status != PlanStatus.IN_REVIEW:
        raise PlanStateError("Only a plan in review can be approved.")
    view = plan_view(plan)
    if view.error:
        raise PlanStateError(f"This plan cannot be approved: {view.error}")
    plan.status = PlanStatus.APPROVED
    plan.approved_at = timezone.now()
    plan.approved_by = user
    save_versioned(
        plan,
        expected_version=expected_version,
        user=user,
        update_fields=["status", "approved_at", "approved_by"],
    )
    lines = []
    for position, (row, line) in enumerate(view.lines, start=1):
        lines.append(
            PlanLine(
                workspace=plan.workspace, plan=plan, persona_id=row.persona_id, persona_name=row.name,
                persona_weight=row.weight, persona_present_share=row.share, persona_share_source=row.source,
                bucket=line.bucket, kind=line.kind, channel_id=line.channel_id, channel_name=line.channel_label,
                experiment_id=line.experiment_id, experiment_name=line.label if line.kind == LineKind.EXPERIMENT else "",
                amount=line.amount, position=position,
            )
        )  # fmt: skip
    PlanLine.objects.bulk_create(lines)
    _tell_authors(plan, _step(plan, ReviewAction.APPROVED, user, comment), "approved")


@transaction.atomic
def plan_return(*, plan: Plan, user: User, expected_version: int, comment: str) -> None:
    if plan.status != PlanStatus.IN_REVIEW:
        raise PlanStateError("Only a plan in review can be returned.")
    if not comment.strip():
        raise PlanStateError("Say what should change: returning a plan needs a comment.")
    plan.status = PlanStatus.RETURNED
    save_versioned(
        plan, expected_version=expected_version, user=user, update_fields=["status"], merge=False
    )
    _tell_authors(plan, _step(plan, ReviewAction.RETURNED, user, comment.strip()), "returned")


def _tell_authors(plan: Plan, step: ReviewStep, verb: str) -> None:
    """The plan's author and the marketers who edited it hear of its review."""
    editors = set(
        plan.history.filter(history_user__isnull=False).values_list("history_user_id", flat=True)
    )
    marketers = set(members(plan.workspace, [Role.MARKETER]).filter(user__in=editors))
    reviewer = step.user.display_name if step.user else "A reviewer"
    notify(
        plan.workspace,
        Kind.PLAN_REVIEWED,
        {plan.created_by_id, *marketers} - {None},
        title=f"{reviewer} {verb} {plan.name}",
        body=step.comment,
        url=plan.get_absolute_url(),
        actor=step.user,
        key=f"plan:{plan.pk}:step:{step.pk}",
    )


@transaction.atomic
def plan_copy(*, source: Plan, name: str, start, end, user: User) -> Plan:
    """A new draft with the source's total, ratio, personas, weights and overrides."""
    workspace = source.workspace
    copy = Plan(
        workspace=workspace, name=name, start=start, end=end, total_effort=source.total_effort,
        present_share=source.present_share, copied_from=source, created_by=user, updated_by=user,
    )  # fmt: skip
    copy._history_user = user
    copy.save()
    members = PlanPersona.objects.in_workspace(workspace).filter(
        plan=source, persona__archived=False
    )
    PlanPersona.objects.bulk_create(
        PlanPersona(
            workspace=workspace,
            plan=copy,
            persona_id=m.persona_id,
            weight=m.weight,
            present_share_override=m.present_share_override,
        )
        for m in members
    )
    _step(copy, ReviewAction.CREATED, user, f"Copied from {source.name}.")
    return copy


def plan_delete(*, plan: Plan, user: User) -> None:
    delete_for_good(plan, user=user)


def signal_dismiss(
    *,
    workspace: Workspace,
    key: str,
    kind: str,
    text: str,
    fingerprint: str,
    mode: str,
    reason: str = "",
    user: User | None,
) -> SignalDismissal:
    """Set a signal aside for good, for 30 or 90 days, or until its figures change;
    dismissing it again replaces how and why."""
    now = timezone.now()
    days = SNOOZE_DAYS.get(mode)
    dismissal = SignalDismissal.objects.in_workspace(workspace).filter(
        key=key
    ).first() or SignalDismissal(workspace=workspace, key=key)
    dismissal.kind, dismissal.text, dismissal.mode = kind, text[:500], mode
    dismissal.until = now + timedelta(days=days) if days else None
    dismissal.fingerprint = fingerprint
    dismissal.reason, dismissal.by, dismissal.at = reason, user, now
    dismissal._history_user = user
    dismissal._change_reason = reason[:100] or None
    created = dismissal.pk is None
    dismissal.save()
    if created:
        Workspace.objects.filter(pk=workspace.pk).update(
            signals_set_aside=F("signals_set_aside") + 1
        )
        workspace.signals_set_aside += 1
    return dismissal


def signal_restore(*, dismissal: SignalDismissal, user: User | None) -> None:
    """Bring a dismissed or snoozed signal back to the dashboard."""
    dismissal._history_user = user
    dismissal.delete()
    workspace = dismissal.workspace
    Workspace.objects.filter(pk=workspace.pk, signals_set_aside__gt=0).update(
        signals_set_aside=F("signals_set_aside") - 1
    )
    workspace.signals_set_aside = max(0, workspace.signals_set_aside - 1)

"""Experiment workflows: create, move along the board, conclude, record results, graduate."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from channels.models import Channel, ChannelUsage
from channels.services import usage_graduate
from experiments.models import (
    TRANSITIONS,
    Experiment,
    ExperimentResult,
    ExperimentTarget,
    Outcome,
    Status,
)
from personas.models import Persona
from workspaces.history import restore_fields
from workspaces.models import Workspace
from workspaces.versioning import delete_for_good, save_new, save_versioned, touch_versioned

if TYPE_CHECKING:
    from accounts.models import User


class MoveNotAllowed(Exception):
    """A status change the board does not allow (e.g. idea straight to concluded)."""


class CannotGraduate(Exception):
    """Only a concluded, adopted channel experiment graduates, and only once."""


def _set_targets(experiment: Experiment, personas: list[Persona]) -> None:
    wanted = {p.pk for p in personas}
    targets = ExperimentTarget.objects.in_workspace(experiment.workspace).filter(
        experiment=experiment
    )
    targets.exclude(persona_id__in=wanted).delete()
    have = set(targets.values_list("persona_id", flat=True))
    ExperimentTarget.objects.bulk_create(
        ExperimentTarget(workspace=experiment.workspace, experiment=experiment, persona_id=pk)
        for pk in sorted(wanted - have)
    )


@transaction.atomic
def experiment_create(
    *, workspace: Workspace, experiment: Experiment, personas: list[Persona], user: User
) -> Experiment:
    if experiment.status == Status.RUNNING and not experiment.start_date:
        experiment.start_date = timezone.localdate()
    save_new(experiment, user=user, workspace=workspace, created_by=user, updated_by=user)
    _set_targets(experiment, personas)
    return experiment


@transaction.atomic
def experiment_update(
    *,
    experiment: Experiment,
    personas: list[Persona],
    expected_version: int,
    user: User,
    fields: list[str],
) -> None:
    save_versioned(experiment, expected_version=expected_version, user=user, update_fields=fields)
    _set_targets(experiment, personas)


def experiment_undo(
    *,
    instance: Experiment,
    before,
    fields: list[str],
    expected_version: int,
    user: User,
    reason: str,
) -> None:
    """Put an experiment's fields (those its edit form has) back as they were before
    a change, as a new version; refused (``StaleVersion``) when those fields
    changed since ``expected_version``."""
    restored = restore_fields(instance, before, fields, reason=reason)
    save_versioned(instance, expected_version=expected_version, user=user, update_fields=restored)


@transaction.atomic
def experiment_move(
    *, experiment: Experiment, status: str, expected_version: int, user: User
) -> None:
    """Move along the board: one step forward or back; concluding goes through
    ``experiment_conclude``, which asks for the outcome."""
    if status not in TRANSITIONS[experiment.status] or status == Status.CONCLUDED:
        raise MoveNotAllowed(
            f"{Status(experiment.status).label} cannot move to {Status(status).label.lower()}."
        )
    experiment.status = status
    fields = ["status"]
    if status == Status.RUNNING and not experiment.start_date:
        experiment.start_date = timezone.localdate()
        fields.append("start_date")
    save_versioned(experiment, expected_version=expected_version, user=user, update_fields=fields)


@transaction.atomic
def experiment_conclude(*, experiment: Experiment, expected_version: int, user: User) -> None:
    """Conclude a running experiment with the outcome and learnings the form set."""
    if Status.CONCLUDED not in TRANSITIONS[experiment.status]:
        raise MoveNotAllowed(
            f"Only a running experiment can be concluded, not a {experiment.status} one."
        )
    if experiment.outcome not in Outcome.values:
        raise MoveNotAllowed("Concluding needs an outcome: adopt, iterate or drop.")
    experiment.status = Status.CONCLUDED
    experiment.concluded_at = timezone.now()
    experiment.end_date = experiment.end_date or timezone.localdate()
    save_versioned(
        experiment,
        expected_version=expected_version,
        user=user,
        update_fields=["status", "outcome", "learnings", "end_date", "concluded_at"],
    )


def graduation_targets(experiment: Experiment) -> list[tuple[Persona, Decimal | None]]:
    """Each target persona, with the channel's share in its mix if it is already there."""
    workspace = experiment.workspace
    personas = list(
        Persona.objects.in_workspace(workspace)
        .filter(experiment_targets__experiment=experiment)
        .order_by("name")
    )
    current = dict(
        ChannelUsage.objects.in_workspace(workspace)
        .filter(channel_id=experiment.channel_id, persona__in=personas)
        .values_list("persona_id", "share")
    )
    return [(p, current.get(p.pk)) for p in personas]


@transaction.atomic
def experiment_graduate(*, experiment: Experiment, shares: dict[int, Decimal], user: User) -> list:
    """Make the experiment's channel a core channel of each target persona: added with
    the chosen share, or promoted from emerging with its share set (never added
    twice: a second graduation is refused, and shares are set, not summed)."""
    locked = Experiment.objects.in_workspace(experiment.workspace).filter(
        pk=experiment.pk, graduated_at__isnull=True
    )
    if not experiment.can_graduate or not locked.update(graduated_at=timezone.now()):
        raise CannotGraduate("This experiment cannot graduate (again).")
    channel: Channel = experiment.channel
    usages = []
    for persona, _current in graduation_targets(experiment):
        usages.append(
            usage_graduate(
                persona=persona,
                channel=channel,
                share=shares[persona.pk],
                user=user,
                reason=f"graduated from the experiment “{experiment.title}”"[:100],
            )
        )
    experiment.refresh_from_db(fields=["graduated_at"])
    # Recorded in the experiment's history as well, as a version of its own.
    experiment._change_reason = "graduated into its personas' channel mixes"
    touch_versioned(experiment, user=user, fields=["graduated_at"])
    return usages


def result_add(*, experiment: Experiment, result: ExperimentResult, user: User) -> ExperimentResult:
    return save_new(
        result, user=user, workspace=experiment.workspace, experiment=experiment, created_by=user
    )


def result_delete(*, result: ExperimentResult, user: User) -> None:
    delete_for_good(result, user=user)


def experiment_delete(*, experiment: Experiment, user: User) -> None:
    delete_for_good(experiment, user=user)

"""Effort actually spent, against a plan: recording it, and its totals for the pages."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Sum

from planning.allocation import LineKind
from planning.models import Actual, Plan
from workspaces.versioning import delete_for_good, save_new, save_versioned

if TYPE_CHECKING:
    from accounts.models import User

ZERO = Decimal(0)


def _nothing_spent() -> list[Decimal]:
    return [ZERO, ZERO]  # where they are, where they are going


@dataclass
class ActualTotals:
    """A plan's actuals, summed once and looked up many times."""

    present: Decimal = ZERO
    future: Decimal = ZERO
    by_channel: dict[int, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    by_experiment: dict[int, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    by_persona: dict[int, list[Decimal]] = field(
        default_factory=lambda: defaultdict(_nothing_spent)
    )
    by_line: dict[tuple, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    @property
    def total(self) -> Decimal:
        return self.present + self.future


def actual_totals(plan: Plan) -> ActualTotals:
    """One query, whatever the number of actuals."""
    totals = ActualTotals()
    rows = (
        Actual.objects.in_workspace(plan.workspace)
        .filter(plan=plan)
        .values("persona_id", "channel_id", "experiment_id")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    for row in rows:
        amount, persona = row["amount"], row["persona_id"]
        if row["channel_id"]:
            totals.present += amount
            totals.by_channel[row["channel_id"]] += amount
            key = (LineKind.CHANNEL, row["channel_id"])
            index = 0
        else:
            totals.future += amount
            totals.by_experiment[row["experiment_id"]] += amount
            key = (LineKind.EXPERIMENT, row["experiment_id"])
            index = 1
        if persona:
            totals.by_persona[persona][index] += amount
            totals.by_line[(persona, *key)] += amount
    return totals


def actual_save(*, actual: Actual, plan: Plan, user: User) -> Actual:
    return save_new(
        actual, user=user, workspace=plan.workspace, plan=plan, created_by=user, updated_by=user
    )


def actual_update(*, actual: Actual, expected_version: int, user: User, fields: list[str]) -> None:
    save_versioned(actual, expected_version=expected_version, user=user, update_fields=fields)


def actual_delete(*, actual: Actual, user: User) -> None:
    delete_for_good(actual, user=user)

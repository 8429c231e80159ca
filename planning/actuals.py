"""Effort actually spent, against a plan: totals for the pages, and CSV import."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum
from simple_history.utils import bulk_create_with_history

from channels.models import Channel
from experiments.models import Experiment
from personas.models import Persona
from planning.models import Actual, Plan
from workspaces.versioning import save_versioned

if TYPE_CHECKING:
    from accounts.models import User

ZERO = Decimal(0)


@dataclass
class ActualTotals:
    """A plan's actuals, summed once and looked up many times."""

    present: Decimal = ZERO
    future: Decimal = ZERO
    by_channel: dict[int, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    by_experiment: dict[int, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    by_persona: dict[int, list[Decimal]] = field(
        default_factory=lambda: defaultdict(lambda: [ZERO, ZERO])
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
            key = ("channel", row["channel_id"])
            index = 0
        else:
            totals.future += amount
            totals.by_experiment[row["experiment_id"]] += amount
            key = ("experiment", row["experiment_id"])
            index = 1
        if persona:
            totals.by_persona[persona][index] += amount
            totals.by_line[(persona, *key)] += amount
    return totals


def actual_save(*, actual: Actual, plan: Plan, user: User) -> Actual:
    actual.workspace = plan.workspace
    actual.plan = plan
    actual.created_by = actual.updated_by = user
    actual._history_user = user
    actual.save()
    return actual


def actual_update(*, actual: Actual, expected_version: int, user: User, fields: list[str]) -> None:
    save_versioned(actual, expected_version=expected_version, user=user, update_fields=fields)


def actual_delete(*, actual: Actual, user: User) -> None:
    actual._history_user = user
    actual.delete()


def actuals_move_channel(*, source: Channel, target: Channel) -> int:
    """When two channels merge, effort recorded on the one that goes follows."""
    return (
        Actual.objects.in_workspace(source.workspace).filter(channel=source).update(channel=target)
    )


# --- CSV import --------------------------------------------------------------------

IMPORT_COLUMNS = ["date", "channel", "experiment", "persona", "amount", "note"]
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 10_000


@dataclass
class ImportRow:
    number: int  # the line in the file, header is line 1
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    actual: Actual | None = None


class ImportRefused(Exception):
    """The file as a whole cannot be read; the message says why."""


def _read_csv(upload) -> list[dict[str, str]]:
    if upload.size > MAX_IMPORT_BYTES:
        raise ImportRefused(f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            "The file is not UTF-8 text: save it as “CSV UTF-8” and try again."
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("date", "amount") if c not in header]
    if missing or not ({"channel", "experiment"} & set(header)):
        raise ImportRefused(
            "The first line must name the columns: date, channel or experiment, amount "
            "(and optionally persona and note)."
        )
    rows = []
    for row in reader:
        rows.append({(k or "").strip().lower(): (v or "").strip() for k, v in row.items()})
        if len(rows) > MAX_IMPORT_ROWS:
            raise ImportRefused(f"The file has more than {MAX_IMPORT_ROWS:,} rows.")
    if not rows:
        raise ImportRefused("The file has no rows under its header.")
    return rows


def actuals_parse(*, plan: Plan, upload) -> list[ImportRow]:
    """Check every row of an uploaded CSV; nothing is saved. Five queries."""
    workspace = plan.workspace
    channels = {c.name.lower(): c for c in Channel.objects.in_workspace(workspace)}
    experiments = {e.title.lower(): e for e in Experiment.objects.in_workspace(workspace)}
    personas = {p.name.lower(): p for p in Persona.objects.in_workspace(workspace)}
    parsed = []
    for number, values in enumerate(_read_csv(upload), start=2):
        row = ImportRow(number, values)
        errors = row.errors
        try:
            day = date.fromisoformat(values.get("date", ""))
        except ValueError:
            errors.append(f"date “{values.get('date', '')}” is not a date like 2027-01-31")
            day = None
        if day and not plan.start <= day <= plan.end:
            errors.append(
                f"{day:%d %b %Y} is outside the plan ({plan.start:%d %b %Y} – {plan.end:%d %b %Y})"
            )
        channel_name, experiment_name = values.get("channel", ""), values.get("experiment", "")
        channel = channels.get(channel_name.lower()) if channel_name else None
        experiment = experiments.get(experiment_name.lower()) if experiment_name else None
        if channel_name and experiment_name:
            errors.append("give a channel or an experiment, not both")
        elif not channel_name and not experiment_name:
            errors.append("give the channel or the experiment the effort went to")
        elif channel_name and channel is None:
            errors.append(f"no channel “{channel_name}” in the catalog")
        elif experiment_name and experiment is None:
            errors.append(f"no experiment “{experiment_name}”")
        persona_name = values.get("persona", "")
        persona = personas.get(persona_name.lower()) if persona_name else None
        if persona_name and persona is None:
            errors.append(f"no persona “{persona_name}”")
        try:
            amount = Decimal(values.get("amount", "").replace(",", ""))
            if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
                raise InvalidOperation
            if amount >= Decimal("1e12"):
                raise InvalidOperation
        except InvalidOperation:
            errors.append(
                f"amount “{values.get('amount', '')}” must be a positive number with two decimals at most"
            )
            amount = None
        note = values.get("note", "")
        if len(note) > 500:
            errors.append("note is longer than 500 characters")
        if not errors:
            row.actual = Actual(
                date=day,
                channel=channel,
                experiment=experiment,
                persona=persona,
                amount=amount,
                note=note,
            )
        parsed.append(row)
    return parsed


@transaction.atomic
def actuals_import(*, plan: Plan, rows: list[ImportRow], user: User) -> int:
    """Save every row, or none: the caller passes rows only when all are valid."""
    if any(row.errors for row in rows):
        raise ImportRefused("Some rows have errors: nothing was imported.")
    actuals = []
    for row in rows:
        actual = row.actual
        actual.workspace, actual.plan = plan.workspace, plan
        actual.created_by = actual.updated_by = user
        actuals.append(actual)
    bulk_create_with_history(actuals, Actual, batch_size=1000, default_user=user)
    return len(actuals)

"""Recorded effort from a spreadsheet: one row per effort spent against a plan.

The import is opened from a plan's page, and every row goes to that plan: a
date in its period, a channel (where they are) or an experiment (where they
are going) by name, optionally a persona, an amount and a note.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.http import Http404
from django.urls import reverse

from channels.models import Channel
from experiments.models import Experiment
from pacekeeper.imports import Preview, RowResult, save_in_bulk
from pacekeeper.spreadsheets import looks_like_formula
from personas.models import Persona
from planning.models import Actual, Plan
from workspaces.models import Workspace
from workspaces.registry import ImportKind

if TYPE_CHECKING:
    from accounts.models import User

COLUMNS = ["date", "channel", "experiment", "persona", "amount", "note"]
CENT = Decimal("0.01")
TOO_LARGE = Decimal("1e12")  # the amount column holds 14 digits, 2 of them decimals
NOTE_LENGTH = Actual._meta.get_field("note").max_length


def example_rows() -> list[list[str]]:
    return [
        ["2027-01-15", "LinkedIn", "", "Operations Olivia", "12.50", "Weekly posts"],
        ["2027-01-20", "", "TikTok explainer series", "", "4", "Editing"],
    ]


def plan_option(workspace: Workspace, query: Mapping[str, str]) -> dict[str, Any]:
    """The plan the import was opened from (``?plan=<id>``), or 404."""
    return {"plan": _plan(workspace, query.get("plan", "")).pk}


def _plan(workspace: Workspace, pk: Any) -> Plan:
    if not str(pk).isdigit():
        raise Http404("Open the import from a plan's page.")
    return Plan.objects.in_workspace(workspace).get_or_404(pk=pk)


def plan_label(workspace: Workspace, options: dict[str, Any]) -> str:
    plan = _plan(workspace, options["plan"])
    return f"Into {plan.name} ({plan.start:%d %b %Y} – {plan.end:%d %b %Y})"


class _Lookups:
    """The workspace's channels, experiments and personas by lower-cased name,
    and what the plan already records. Four queries."""

    def __init__(self, workspace: Workspace, plan: Plan) -> None:
        self.plan = plan
        self.channels = {c.name.lower(): c for c in Channel.objects.in_workspace(workspace)}
        self.experiments = {e.title.lower(): e for e in Experiment.objects.in_workspace(workspace)}
        self.personas = {p.name.lower(): p for p in Persona.objects.in_workspace(workspace)}
        self.recorded = set(
            Actual.objects.in_workspace(workspace)
            .filter(plan=plan)
            .values_list("date", "channel_id", "experiment_id", "persona_id", "amount")
        )


def _day(result: RowResult, text: str, plan: Plan) -> date | None:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        result.fail(f"date “{text}” is not a date like 2027-01-31")
        return None
    if not plan.start <= day <= plan.end:
        result.fail(
            f"{day:%d %b %Y} is outside the plan ({plan.start:%d %b %Y} – {plan.end:%d %b %Y})"
        )
    return day


def _amount(result: RowResult, text: str) -> Decimal | None:
    try:
        amount = Decimal(text.replace(",", ""))
        if not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
            raise InvalidOperation
        if amount >= TOO_LARGE:
            raise InvalidOperation
    except InvalidOperation:
        result.fail(f"amount “{text}” must be a positive number with two decimals at most")
        return None
    return amount


def _target(result: RowResult, data: dict[str, str], lookups: _Lookups) -> dict[str, Any]:
    """The channel or the experiment the effort went to, and the persona if named."""
    channel_name, experiment_name = data["channel"], data["experiment"]
    channel = lookups.channels.get(channel_name.lower()) if channel_name else None
    experiment = lookups.experiments.get(experiment_name.lower()) if experiment_name else None
    if channel_name and experiment_name:
        result.fail("give a channel or an experiment, not both")
    elif not channel_name and not experiment_name:
        result.fail("give the channel or the experiment the effort went to")
    elif channel_name and channel is None:
        result.fail(f"no channel “{channel_name}” in the catalog")
    elif experiment_name and experiment is None:
        result.fail(f"no experiment “{experiment_name}”")
    persona = lookups.personas.get(data["persona"].lower()) if data["persona"] else None
    if data["persona"] and persona is None:
        result.fail(f"no persona “{data['persona']}”")
    return {"channel": channel, "experiment": experiment, "persona": persona}


def _row(line: int, raw: dict[str, str], lookups: _Lookups) -> RowResult:
    data = {column: (raw.get(column) or "").strip() for column in COLUMNS}
    target = data["channel"] or data["experiment"] or "?"
    result = RowResult(line, f"{data['date'] or '?'} · {target} · {data['amount'] or '?'}")
    day = _day(result, data["date"], lookups.plan)
    links = _target(result, data, lookups)
    amount = _amount(result, data["amount"])
    if len(data["note"]) > NOTE_LENGTH:
        result.fail(f"note is longer than {NOTE_LENGTH} characters")
    if looks_like_formula(data["note"]):
        result.warnings.append("note looks like a spreadsheet formula: kept as plain text")
    if result.status != "error":
        result.values = {"date": day, "amount": amount, "note": data["note"], **links}
        key = (day, *(getattr(links[n], "pk", None) for n in links), amount)
        if key in lookups.recorded:
            result.warnings.append("the same effort is already recorded: it would count twice")
    return result


def preview(workspace: Workspace, rows: list[dict[str, str]], *, plan: int) -> Preview:
    """Check every row; nothing is saved. Five queries, whatever the number of rows."""
    lookups = _Lookups(workspace, _plan(workspace, plan))
    return Preview([_row(line, raw, lookups) for line, raw in enumerate(rows, start=2)])


@transaction.atomic
def commit(
    workspace: Workspace,
    rows: list[dict[str, str]],
    *,
    user: User,
    plan: int,
    confirmed: bool = False,
) -> Preview:
    """Record every row, or none: checks again first and saves only when no row has an error."""
    checked = preview(workspace, rows, plan=plan)
    if checked.ok:
        new = [
            Actual(
                workspace=workspace, plan_id=plan, created_by=user, updated_by=user, **row.values
            )
            for row in checked.rows
        ]
        save_in_bulk(Actual, new=new, changed=[], fields=[], user=user)
    return checked


def done_message(result: Preview, options: dict[str, Any]) -> str:
    count = len(result.rows)
    plan = Plan.objects.filter(pk=options["plan"]).values_list("name", flat=True).first()
    return f"{count} effort line{'s' if count != 1 else ''} imported into {plan}."


KIND = ImportKind(
    key="actuals",
    title="Import recorded effort",
    noun="effort line",
    columns=COLUMNS,
    about="Every row is effort spent against this plan, on a day in its period: on a channel "
    "(where they are) or an experiment (where they are going), named as in the app, and "
    "optionally for one persona. Amounts take two decimals at most.",
    example_rows=example_rows,
    preview=preview,
    commit=commit,
    done_url=lambda workspace, options: (
        reverse("planning:actual_list", args=[workspace.slug]) + f"?plan={options['plan']}"
    ),
    options=plan_option,
    scope=plan_label,
    done_message=done_message,
)

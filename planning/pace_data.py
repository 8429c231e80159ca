"""The pace of each persona and of the workspace, read for the pages.

Loads the plain values the pace model needs in a fixed number of queries,
whatever the number of observations, plans or actuals: the dated observations
of the mixes (one), the approved plans' lines for the quarters shown (one), the
effort recorded against them (one), and the next plan to set a ratio in (one,
only when a persona needs a ratio and no plan list is at hand). The model itself
is ``planning.pace``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from channels.models import UsageObservation
from experiments.insights import EMERGING_THRESHOLD
from planning.allocation import Bucket, LineKind
from planning.models import EDITABLE, Actual, Plan, PlanLine, PlanStatus
from planning.pace import (
    HISTORY,
    Effort,
    MoveKind,
    Observation,
    PersonaInput,
    PersonaPace,
    PlanEffort,
    State,
    WorkspacePace,
    quarter_of,
    workspace_pace,
)
from workspaces.models import Workspace


@dataclass(frozen=True)
class Action:
    """The one link a persona's state offers."""

    label: str
    url: str


@dataclass
class PaceView:
    """The workspace's pace with, per persona, the link to act on it."""

    pace: WorkspacePace
    actions: dict[int, Action] = field(default_factory=dict)
    urls: dict[int, str] = field(default_factory=dict)

    def persona(self, pk: int) -> PersonaPace | None:
        return self.pace.by_key.get(pk)

    @property
    def states(self) -> list[tuple[State, int]]:
        return [(state, self.pace.count(state)) for state in State]

    @property
    def shown(self) -> list[PersonaPace]:
        """The personas most out of pace, for the dashboard's card (at most three)."""
        return self.pace.most_out_of_pace[:3]

    def action(self, pace: PersonaPace) -> Action | None:
        return self.actions.get(pace.key)

    def url(self, pace: PersonaPace) -> str:
        return self.urls.get(pace.key, "")


def _observations(workspace: Workspace, persona_ids: Sequence[int] | None):
    """Each persona's observations, a usage archived (or on an archived channel)
    leaving the mix on the day it was archived; and the channels' names. One query."""
    rows = UsageObservation.objects.in_workspace(workspace)
    if persona_ids is not None:
        rows = rows.filter(usage__persona_id__in=persona_ids)
    rows = rows.order_by().values_list(
        "usage_id", "usage__persona_id", "usage__channel_id", "usage__channel__name",
        "observed_on", "share", "stage", "pk", "usage__archived", "usage__updated_at",
        "usage__channel__archived", "usage__channel__updated_at",
    )  # fmt: skip
    out: dict[int, list[Observation]] = defaultdict(list)
    names: dict[int, str] = {}
    gone: dict[int, tuple] = {}
    for usage, persona, channel, name, on, share, stage, pk, *archived in rows:
        names[channel] = name
        out[persona].append(Observation(usage, channel, on, share, stage, pk))
        usage_archived, usage_at, channel_archived, channel_at = archived
        if usage_archived or channel_archived:
            when = usage_at if usage_archived else channel_at
            gone[usage] = (persona, channel, timezone.localdate(when), stage)
    for usage, (persona, channel, day, stage) in gone.items():
        out[persona].append(Observation(usage, channel, day, 0, stage, 2**62, removed=True))
    return out, names


def _window(today: date) -> tuple[date, date]:
    return quarter_of(today, 1 - HISTORY).start, quarter_of(today).end


def _plans(workspace: Workspace, persona_ids, today: date) -> dict[int, list[PlanEffort]]:
    """Each persona's part in the approved plans of the quarters shown: their
    lines (one query) and the effort recorded for them (one query)."""
    first, last = _window(today)
    approved = {
        "plan__status": PlanStatus.APPROVED, "plan__archived": False,
        "plan__start__lte": last, "plan__end__gte": first,
    }  # fmt: skip
    if persona_ids is not None:
        approved["persona_id__in"] = persona_ids
    lines = PlanLine.objects.in_workspace(workspace).filter(persona__isnull=False, **approved)
    parts: dict[tuple[int, int], dict] = {}
    for row in lines.order_by("plan_id", "position", "pk").values_list(
        "plan_id", "plan__name", "plan__start", "plan__end", "persona_id", "persona_weight",
        "persona_present_share", "bucket", "kind", "channel_id", "amount",
    ):  # fmt: skip
        plan, name, start, end, persona, weight, share, bucket, kind, channel, amount = row
        part = parts.setdefault(
            (persona, plan),
            {"key": plan, "name": name, "start": start, "end": end, "weight": weight,
             "present_share": share, "allocated": [], "actual": []},
        )  # fmt: skip
        future = bucket == Bucket.FUTURE
        part["allocated"].append(Effort(amount, None if future else channel, future, kind))
    spent = (
        Actual.objects.in_workspace(workspace)
        .filter(persona__isnull=False, **approved)
        .values("plan_id", "persona_id", "channel_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in spent:
        part = parts.get((row["persona_id"], row["plan_id"]))
        if part is not None:
            future = row["channel_id"] is None
            kind = LineKind.EXPERIMENT if future else LineKind.CHANNEL
            part["actual"].append(Effort(row["total"], row["channel_id"], future, kind))
    out: dict[int, list[PlanEffort]] = defaultdict(list)
    for (persona, _plan), part in parts.items():
        out[persona].append(PlanEffort(**part))
    return out


def _next_plan(workspace: Workspace, plans: list[Plan] | None, today: date) -> Plan | None:
    """The earliest plan still to be settled (draft or returned) that has not ended."""
    if plans is None:
        query = Plan.objects.in_workspace(workspace).filter(archived=False, end__gte=today)
        plans = list(query.filter(status__in=EDITABLE).order_by("start", "pk")[:1])
    editable = [p for p in plans if p.is_editable and not p.archived and p.end >= today]
    return min(editable, key=lambda p: (p.start, p.pk), default=None)


def _actions(workspace, result: WorkspacePace, names, plans, today) -> dict[int, Action]:
    """The link each persona's move takes: the next plan, a new experiment, her mix."""
    actions: dict[int, Action] = {}
    slug, next_plan, looked = workspace.slug, None, False
    for pace in result.personas:
        move = pace.move
        if move is None or pace.state == State.KEEPING:
            continue
        persona_url = reverse("personas:detail", args=[slug, pace.key])
        channel = names.get(move.channel, "")
        if move.kind == MoveKind.PROMOTE:
            actions[pace.key] = Action(
                f"Promote {channel} into {pace.name}'s core", f"{persona_url}#section-mix"
            )
        elif move.kind == MoveKind.EXPERIMENT:
            url = reverse("experiments:create", args=[slug])
            actions[pace.key] = Action(
                f"Start an experiment on {channel} for {pace.name}",
                f"{url}?persona={pace.key}&channel={move.channel}",
            )
        else:
            if not looked:
                next_plan, looked = _next_plan(workspace, plans, today), True
            share = f"{move.present_share} / {100 - move.present_share}"
            if next_plan is not None:
                label = f"Give {pace.name} {share} in {next_plan.name}"
                url = reverse("planning:plan_detail", args=[slug, next_plan.pk]) + "#whatif"
            else:
                label = f"Plan next quarter with {pace.name} at {share}"
                url = reverse("planning:plan_create", args=[slug])
            actions[pace.key] = Action(label, url)
    return actions


def load_pace(
    workspace: Workspace,
    personas: dict[int, str],
    *,
    plans: list[Plan] | None = None,
    today: date | None = None,
) -> PaceView:
    """The pace of ``personas`` (pk: name) and of the workspace. Three queries,
    and one more for the next plan when ``plans`` is not given and a ratio is
    suggested."""
    today = today or timezone.localdate()
    ids = list(personas)
    observations, names = _observations(workspace, ids)
    efforts = _plans(workspace, ids, today)
    inputs = [
        PersonaInput(pk, name, observations.get(pk, []), efforts.get(pk, []))
        for pk, name in personas.items()
    ]
    result = workspace_pace(inputs, today, workspace.pace_tolerance, EMERGING_THRESHOLD)
    urls = {pk: reverse("personas:detail", args=[workspace.slug, pk]) for pk in personas}
    return PaceView(result, _actions(workspace, result, names, plans, today), urls)

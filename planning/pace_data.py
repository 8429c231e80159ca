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
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache

from django.db.models import (
    Case,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    F,
    IntegerField,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from channels.models import UsageObservation
from experiments.insights import EMERGING_THRESHOLD
from pacekeeper.charts import LineChart, line_chart
from pacekeeper.routes import url_pattern
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


def _window(today: date) -> tuple[date, date]:
    return quarter_of(today, 1 - HISTORY).start, quarter_of(today).end


def _none(output_field) -> Value:
    return Value(None, output_field=output_field)


# The union's columns: plan, name, start, end, persona, weight, present share,
# bucket, kind, channel, amount, which rows these are, label, gone.
def _union(workspace: Workspace, persona_ids, today: date):
    """One query for the approved plans' lines and recorded effort of the
    quarters shown, the plans still to be settled (draft or returned) that have
    not ended, and the personas' observations (usage, stage, observed on, –, pk,
    –, –, –, persona, channel, share, "observation", channel name, when the usage
    or its channel was archived)."""
    first, last = _window(today)
    approved = {
        "plan__status": PlanStatus.APPROVED, "plan__archived": False,
        "plan__start__lte": last, "plan__end__gte": first, "persona_id__in": persona_ids,
    }  # fmt: skip
    columns = ("plan_id", "plan__name", "plan__start", "plan__end", "persona_id")
    lines = (
        PlanLine.objects.filter(workspace=workspace, **approved).order_by()
        .annotate(source=Value("line"), label=Value(""), gone=Cast(_none(DateTimeField()), DateTimeField()))
        .values_list(*columns, "persona_weight", "persona_present_share", "bucket", "kind",
                     "channel_id", "amount", "source", "label", "gone")
    )  # fmt: skip
    spent = (
        Actual.objects.filter(workspace=workspace, **approved).order_by()
        .annotate(w=_none(DecimalField()), p=_none(DecimalField()), b=Value(""), k=Value(""),
                  source=Value("actual"), label=Value(""), gone=Cast(_none(DateTimeField()), DateTimeField()))
        .values_list(*columns, "w", "p", "b", "k", "channel_id", "amount", "source", "label",
                     "gone")
    )  # fmt: skip
    upcoming = (
        Plan.objects.filter(workspace=workspace, archived=False, end__gte=today)
        .filter(status__in=EDITABLE).order_by()
        .annotate(who=_none(IntegerField()), w=_none(DecimalField()), p=_none(DecimalField()),
                  b=Value(""), k=Value(""), c=_none(IntegerField()), a=_none(DecimalField()),
                  source=Value("next"), label=Value(""), gone=Cast(_none(DateTimeField()), DateTimeField()))
        .values_list("pk", "name", "start", "end", "who", "w", "p", "b", "k", "c", "a", "source",
                     "label", "gone")
    )  # fmt: skip
    gone = Case(
        When(usage__archived=True, then=F("usage__updated_at")),
        When(usage__channel__archived=True, then=F("usage__channel__updated_at")),
        default=None,
        output_field=DateTimeField(),
    )
    observed = (
        UsageObservation.objects.filter(workspace=workspace, usage__persona_id__in=persona_ids)
        .order_by()
        .annotate(e=_none(DateField()), w=_none(DecimalField()), p=_none(DecimalField()),
                  b=Value(""), who=Cast("usage__persona_id", CharField()),
                  source=Value("observation"), label=F("usage__channel__name"), gone=gone)
        .values_list("usage_id", "stage", "observed_on", "e", "pk", "w", "p", "b", "who",
                     "usage__channel_id", "share", "source", "label", "gone")
    )  # fmt: skip
    parts = [spent, upcoming, observed]
    return lines.union(*parts, all=True)


@dataclass
class Reading:
    """What the union brought: each persona's plans and observations, the names of
    the channels observed, the next plans to settle, and the observation rows as
    a persona's mix reads them (usage, observed on, share, stage, pk)."""

    efforts: dict[int, list[PlanEffort]] = field(default_factory=dict)
    observations: dict[int, list[Observation]] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    next_plans: list[Plan] = field(default_factory=list)
    mix_rows: list[tuple] = field(default_factory=list)


def _observe(reading: Reading, row, gone: dict) -> None:
    usage, stage, on, _, pk, _, _, _, persona, channel, share, _, label, when = row
    persona = int(persona)
    reading.names[channel] = label
    reading.observations.setdefault(persona, []).append(
        Observation(usage, channel, on, share, stage, pk)
    )
    reading.mix_rows.append((usage, on, share, stage, pk))
    if when is not None:
        # A usage archived (or on an archived channel) leaves the mix that day.
        gone[usage] = (persona, channel, timezone.localdate(when), stage)


def _read(workspace: Workspace, rows) -> Reading:
    parts: dict[tuple[int, int], dict] = {}
    spent, gone, reading = [], {}, Reading()
    for row in rows:
        plan, name, start, end, persona, weight, share, bucket, kind, channel, amount, source = row[
            :12
        ]
        if source == "observation":
            _observe(reading, row, gone)
        elif source == "next":
            reading.next_plans.append(
                Plan(pk=plan, workspace=workspace, name=name, start=start, end=end)
            )
        elif source == "actual":
            spent.append((persona, plan, channel, amount))
        else:
            part = parts.setdefault(
                (persona, plan),
                {
                    "key": plan,
                    "name": name,
                    "start": start,
                    "end": end,
                    "weight": weight,
                    "present_share": share,
                    "allocated": [],
                    "actual": [],
                },
            )
            future = bucket == Bucket.FUTURE
            part["allocated"].append(Effort(amount, None if future else channel, future, kind))
    for persona, plan, channel, amount in spent:
        if (part := parts.get((persona, plan))) is not None:
            kind = LineKind.EXPERIMENT if channel is None else LineKind.CHANNEL
            part["actual"].append(Effort(amount, channel, channel is None, kind))
    for usage, (persona, channel, day, stage) in gone.items():
        removal = Observation(usage, channel, day, 0, stage, 2**62, removed=True)
        reading.observations[persona].append(removal)
    efforts: dict[int, list[PlanEffort]] = defaultdict(list)
    for (persona, _plan), part in sorted(parts.items(), key=lambda item: item[0]):
        efforts[persona].append(PlanEffort(**part))
    reading.efforts = efforts
    reading.mix_rows.sort(key=lambda o: (o[1], o[4]))
    return reading  # fmt: skip


def read_persona_pace(persona, today: date | None = None) -> Reading:
    """A persona's plans, the next plans and her observations, in one query: her
    page hands the observations on to her channel mix."""
    today = today or timezone.localdate()
    return _read(persona.workspace, _union(persona.workspace, [persona.pk], today))


def _next_plan(plans: list[Plan]) -> Plan | None:
    """The earliest of the plans still to be settled that have not ended."""
    return min(plans, key=lambda p: (p.start, p.pk), default=None)


def _actions(workspace, result: WorkspacePace, names, next_plan) -> dict[int, Action]:
    """The link each persona's move takes: the next plan, a new experiment, her mix."""
    actions: dict[int, Action] = {}
    slug = workspace.slug
    persona_urls = url_pattern("personas:detail", slug)

    @cache
    def address(name: str, *args) -> str:
        return reverse(name, args=[slug, *args])

    for pace in result.personas:
        move = pace.move
        if move is None or pace.state == State.KEEPING:
            continue
        persona_url = persona_urls(pace.key)
        channel = names.get(move.channel, "")
        if move.kind == MoveKind.PROMOTE:
            actions[pace.key] = Action(
                f"Promote {channel} into {pace.name}'s core", f"{persona_url}#section-mix"
            )
        elif move.kind == MoveKind.EXPERIMENT:
            url = address("experiments:create")
            actions[pace.key] = Action(
                f"Start an experiment on {channel} for {pace.name}",
                f"{url}?persona={pace.key}&channel={move.channel}",
            )
        else:
            share = f"{move.present_share} / {100 - move.present_share}"
            if next_plan is not None:
                label = f"Give {pace.name} {share} in {next_plan.name}"
                url = address("planning:plan_detail", next_plan.pk) + "#whatif"
            else:
                label = f"Plan next quarter with {pace.name} at {share}"
                url = address("planning:plan_create")
            actions[pace.key] = Action(label, url)
    return actions


def load_pace(
    workspace: Workspace,
    personas: dict[int, str],
    *,
    reading: Reading | None = None,
    today: date | None = None,
) -> PaceView:
    """The pace of ``personas`` (pk: name) and of the workspace, in one query (the
    union of their observations, the plans' lines and effort and the next plans),
    none when ``reading`` brings it."""
    today = today or timezone.localdate()
    ids = list(personas)
    reading = reading or _read(workspace, _union(workspace, ids, today))
    inputs = [
        PersonaInput(pk, name, reading.observations.get(pk, []), reading.efforts.get(pk, []))
        for pk, name in personas.items()
    ]
    result = workspace_pace(inputs, today, workspace.pace_tolerance, EMERGING_THRESHOLD)
    persona_url = url_pattern("personas:detail", workspace.slug)
    urls = {pk: persona_url(pk) for pk in personas}
    actions = _actions(workspace, result, reading.names, _next_plan(reading.next_plans))
    return PaceView(result, actions, urls)


@dataclass(frozen=True)
class PaceRow:
    """One quarter in the persona's pace table, with each figure's change since
    the quarter before (None: nothing to compare)."""

    label: str
    audience: Decimal | None
    audience_change: Decimal | None
    allocated: Decimal | None
    allocated_change: Decimal | None
    actual: Decimal | None
    plan: str


@dataclass
class PersonaPaceView:
    """A persona's pace for her page: the state, the link to act, both lines over
    time and the table behind them."""

    pace: PersonaPace
    action: Action | None
    tolerance: int
    chart: LineChart
    rows: list[PaceRow]


def _change(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    return None if now is None or before is None else now - before


def persona_pace_view(persona, reading: Reading | None = None) -> PersonaPaceView:
    """One persona's pace, read as ``load_pace`` reads it; with the ``reading`` her
    page made (``read_persona_pace``), nothing is read again."""
    view = load_pace(persona.workspace, {persona.pk: persona.name}, reading=reading)
    pace = view.persona(persona.pk)
    points = pace.points
    rows = [
        PaceRow(
            p.quarter.label,
            p.audience,
            _change(p.audience, points[i - 1].audience) if i else None,
            p.allocated,
            _change(p.allocated, points[i - 1].allocated) if i else None,
            p.actual,
            p.plan,
        )
        for i, p in enumerate(points)
    ]
    chart = line_chart(
        [p.quarter.label for p in points],
        [
            ("Their attention on where they are going", "pace-audience", [p.audience for p in points]),
            ("Your allocated effort on it", "pace-allocated", [p.allocated for p in points]),
            ("Your actual effort on it", "pace-actual", [p.actual for p in points]),
        ],
        unit="%",
    )  # fmt: skip
    return PersonaPaceView(pace, view.action(pace), persona.workspace.pace_tolerance, chart, rows)

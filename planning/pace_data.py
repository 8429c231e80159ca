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
from functools import cache, cached_property

from django.db.models import (
    BigIntegerField,
    Case,
    DateField,
    DateTimeField,
    DecimalField,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast, Round, TruncDate
from django.urls import reverse
from django.utils import timezone

from channels.models import Channel, ChannelUsage, UsageObservation
from experiments.insights import EMERGING_THRESHOLD
from pacekeeper.charts import LineChart, line_chart
from pacekeeper.memory import collection_deferred
from pacekeeper.routes import url_pattern
from personas.models import Persona
from planning.allocation import Bucket, LineKind
from planning.models import EDITABLE, Actual, Plan, PlanLine, PlanStatus
from planning.pace import (
    HISTORY,
    Effort,
    KeptHistory,
    MoveKind,
    Observation,
    PersonaInput,
    PersonaPace,
    PlanEffort,
    State,
    WorkspacePace,
    gathered,
    kept_history,
    quarter_of,
    workspace_pace,
)
from workspaces.models import Workspace
from workspaces.revision import every_row, keep_value, refreshed_value, revision_of, value_kept


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


class _Null(Value):
    """A column of NULLs in the union (another part's column): nothing to convert
    on each row."""

    def __init__(self, output_field) -> None:
        super().__init__(None, output_field=output_field)

    @cached_property
    def convert_value(self):
        return self._convert_value_noop


class _Day(TruncDate):
    """A moment's day, as a date already (PostgreSQL returns one, SQLite's text the
    backend reads as one): no conversion of its own on each row."""

    @cached_property
    def convert_value(self):
        return self._convert_value_noop


def _none(output_field) -> Value:
    return _Null(output_field)


def _typed_none(output_field) -> Cast:
    # PostgreSQL types a union's column by its first rows: a bare NULL there is text.
    return Cast(_none(output_field), output_field)


class _Hundredths(Cast):
    """An amount or share (kept to two decimals) in whole hundredths: it loads as
    an integer, no Decimal made for each row, and the pace's sums stay integers
    (its figures are ratios of these amounts, and of these shares)."""

    def __init__(self, name: str) -> None:
        super().__init__(Round(F(name) * 100), BigIntegerField())

    @cached_property
    def convert_value(self):
        # Both databases return an integer already: no conversion for each row.
        return self._convert_value_noop


def _approved(today: date) -> Q:
    """The approved plans of the quarters shown."""
    first, last = _window(today)
    return Q(status=PlanStatus.APPROVED, archived=False, start__lte=last, end__gte=first)


def _plans_shown(workspace: Workspace, today: date):
    """The approved plans of the quarters shown, and those still to be settled
    (draft or returned) that have not ended."""
    upcoming = Q(archived=False, end__gte=today, status__in=EDITABLE)
    return Plan.objects.filter(_approved(today) | upcoming, workspace=workspace)


# The union's columns: which rows these are, then plan (or usage), persona,
# channel, amount (or share) in hundredths, weight, present share, bucket (or
# plan name, or stage), kind (or channel name), two days (a plan's start and
# end, or when a usage was observed and left the mix) and the order of an
# observation.
def _union(
    workspace: Workspace,
    persona_ids,
    today: date,
    *,
    actuals: bool = True,
    observed=None,
    planned: bool = True,
):
    """One query for the approved plans' lines and recorded effort of the
    quarters shown (the effort only with ``actuals``: a chart shows it, a state
    does not depend on it); those plans and the plans still to be settled (draft or
    returned) that have not ended, once each (not on every line); and the
    personas' observations, with the day their usage or its channel was archived
    (in the current time zone, as ``timezone.localdate`` reads it).
    ``persona_ids``: whose lines and effort (None: every persona's);
    ``observed``: whose observations (None: those of ``persona_ids``);
    without ``planned``, the observations alone."""
    if not planned:
        return _observed(workspace, persona_ids if observed is None else observed)
    approved = _approved(today)
    in_window = {f"plan__{key}": value for key, value in approved.children}
    whose = {} if persona_ids is None else {"persona_id__in": persona_ids}
    lines = (
        PlanLine.objects.filter(workspace=workspace, **whose, **in_window)
        .order_by()
        .annotate(source=Value("line"), a=_Hundredths("amount"), d=_typed_none(DateField()),
                  e=_typed_none(DateField()))
        # The last column (an observation's order) holds the line's pk: a column, not a
        # cast of NULL to integer, so that no row is converted for it.
        .values_list("source", "plan_id", "persona_id", "channel_id", "a", "persona_weight",
                     "persona_present_share", "bucket", "kind", "d", "e", "pk")
    )  # fmt: skip
    spent = (
        Actual.objects.filter(workspace=workspace, **whose, **in_window)
        .order_by()
        .annotate(source=Value("actual"), a=_Hundredths("amount"), w=_none(DecimalField()),
                  p=_none(DecimalField()), b=Value(""), k=Value(""), d=_none(DateField()),
                  e=_none(DateField()), o=_none(IntegerField()))
        .values_list("source", "plan_id", "persona_id", "channel_id", "a", "w", "p", "b",
                     "k", "d", "e", "o")
    )  # fmt: skip
    plans = (
        _plans_shown(workspace, today)
        .order_by()
        .annotate(who=_none(IntegerField()), c=_none(IntegerField()), a=_none(BigIntegerField()),
                  w=_none(DecimalField()), p=_none(DecimalField()), k=Value(""),
                  o=_none(IntegerField()))
        # Their status tells them apart: approved (shown) or still to be settled (next).
        .values_list("status", "pk", "who", "c", "a", "w", "p", "name", "k", "start", "end", "o")
    )  # fmt: skip
    observed = _observed(workspace, persona_ids if observed is None else observed)
    return lines.union(*([spent] if actuals else []), plans, observed, all=True)


def _observed(workspace: Workspace, persona_ids):
    """The union's rows of the personas' observations."""
    gone = Case(
        When(usage__archived=True, then=F("usage__updated_at")),
        When(usage__channel__archived=True, then=F("usage__channel__updated_at")),
        default=None,
        output_field=DateTimeField(),
    )
    return (
        UsageObservation.objects.filter(workspace=workspace, usage__persona_id__in=persona_ids)
        .order_by()
        .annotate(source=Value("observation"), s=_Hundredths("share"), w=_none(DecimalField()),
                  p=_none(DecimalField()), gone=_Day(gone))
        .values_list("source", "usage_id", "usage__persona_id", "usage__channel_id", "s",
                     "w", "p", "stage", "usage__channel__name", "observed_on", "gone", "pk")
    )  # fmt: skip


@dataclass
class Reading:
    """What the union brought: each persona's plans and observations, the names of
    the channels observed and the next plans to settle."""

    efforts: dict[int, list[PlanEffort]] = field(default_factory=dict)
    observations: dict[int, list[Observation]] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    plans: dict[int, tuple[str, str, date, date]] = field(default_factory=dict)

    @property
    def next_plans(self) -> list[Plan]:
        return _next_plans(self.plans)

    @cached_property
    def mix_rows(self) -> list[tuple]:
        """The observation rows as a persona's mix reads them (usage, observed on,
        share, stage, pk), in the order observed: made only for the page that shows
        a mix, not for every persona of the dashboard. Shares as stored (the pace
        reads them in hundredths)."""
        rows = [
            (o.usage, o.on, Decimal(o.share).scaleb(-2), o.stage, o.order)
            for observed in self.observations.values()
            for o in observed
            if not o.removed
        ]
        rows.sort(key=lambda o: (o[1], o[4]))
        return rows


def _read(rows) -> Reading:
    reading = Reading()
    plans: dict[int, tuple[str, date, date]] = {}
    parts: dict[tuple[int, int], tuple] = {}  # (persona, plan): weight, share, lines
    spent, gone = [], {}
    observations: dict[int, list[Observation]] = defaultdict(list)
    names = reading.names
    for source, key, persona, channel, amount, weight, share, text, kind, day, left, order in rows:
        if source == "observation":  # the most rows by far
            names[channel] = kind
            observations[persona].append(Observation(key, channel, day, amount, text, order))
            if left is not None:
                # A usage archived (or on an archived channel) leaves the mix that day.
                gone[key] = (persona, channel, left, text)
        elif source == "line":
            part = parts.get((persona, key))
            if part is None:
                part = parts[persona, key] = (weight, share, [])
            future = text == Bucket.FUTURE
            part[2].append(Effort(amount, None if future else channel, future, kind))
        elif source == "actual":
            spent.append((persona, key, channel, amount))
        else:  # a plan: approved, or still to be settled
            plans[key] = (text, day, left)
            reading.plans[key] = (source, text, day, left)
    actual: dict[tuple[int, int], list[Effort]] = defaultdict(list)
    for persona, plan, channel, amount in spent:
        kind = LineKind.EXPERIMENT if channel is None else LineKind.CHANNEL
        actual[persona, plan].append(Effort(amount, channel, channel is None, kind))
    for usage, (persona, channel, day, stage) in gone.items():
        removal = Observation(usage, channel, day, 0, stage, 2**62, removed=True)
        observations[persona].append(removal)
    reading.observations = dict(observations)
    efforts: dict[int, list[PlanEffort]] = defaultdict(list)
    for (persona, plan), (weight, share, allocated) in sorted(parts.items()):
        name, start, end = plans[plan]
        efforts[persona].append(
            PlanEffort(plan, name, start, end, weight, share, allocated, actual[persona, plan])
        )
    reading.efforts = efforts
    return reading


def read_persona_pace(persona, today: date | None = None) -> Reading:
    """A persona's plans, the next plans and her observations, in one query: her
    page hands the observations on to her channel mix."""
    today = today or timezone.localdate()
    return _read(_union(persona.workspace, [persona.pk], today))


def _next_plans(plans: dict[int, tuple[str, str, date, date]]) -> list[Plan]:
    """The plans still to be settled, of ``plans`` (pk: status, name, start, end)."""
    return [
        Plan(pk=pk, name=name, start=start, end=end)
        for pk, (status, name, start, end) in plans.items()
        if status != PlanStatus.APPROVED
    ]


def _shown_on(plans: dict[int, tuple[str, str, date, date]], today: date) -> dict[int, tuple]:
    """Of ``plans`` read for a day before ``today`` in its quarter, those shown on
    ``today`` (``_plans_shown``): the approved, and the others not ended."""
    return {pk: p for pk, p in plans.items() if p[0] == PlanStatus.APPROVED or p[3] >= today}


def _settled(plans: dict[int, tuple[str, str, date, date]]) -> dict[int, tuple]:
    return {pk: plan for pk, plan in plans.items() if plan[0] == PlanStatus.APPROVED}


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
    all_active: bool = False,
    chart: bool = False,
) -> PaceView:
    """The pace of ``personas`` (pk: name) and of the workspace, in one query (the
    union of their observations, the plans' lines and effort and the next plans),
    none when ``reading`` brings it. ``all_active``: ``personas`` are the
    workspace's active personas, which the query then picks itself (a subquery,
    not one parameter per persona). ``chart``: each persona's figures quarter by
    quarter too (her page's chart), not only her state."""
    today = today or timezone.localdate()
    if all_active:
        ids = Persona.objects.in_workspace(workspace).filter(archived=False).values("pk")
    else:
        ids = list(personas)
    reading = reading or _read(_union(workspace, ids, today, actuals=chart))
    result = workspace_pace(_inputs(personas, reading), today, workspace.pace_tolerance,
                            EMERGING_THRESHOLD, chart=chart)  # fmt: skip
    return _view(workspace, result, reading.names, reading.next_plans)


def _inputs(personas: dict[int, str], reading: Reading) -> list[PersonaInput]:
    return [
        PersonaInput(pk, name, reading.observations.get(pk, []), reading.efforts.get(pk, []))
        for pk, name in personas.items()
    ]


def _view(workspace: Workspace, result: WorkspacePace, names, next_plans) -> PaceView:
    persona_url = url_pattern("personas:detail", workspace.slug)
    urls = {p.key: persona_url(p.key) for p in result.personas}
    actions = _actions(workspace, result, names, _next_plan(next_plans))
    return PaceView(result, actions, urls)


# What is kept persona by persona: a write to a persona, or to a usage or an
# observation of her channel mix, marks her (``Persona.pace_revision``, by
# ``personas`` and ``channels``), and so does a channel archived or restored
# (of every persona with a usage of it); a bulk write marks none and counts as
# a write to every persona (``every_row``).
MARKED = (Persona, UsageObservation, ChannelUsage)
# Every kind of row a workspace's pace is computed from (``_union`` and the
# personas' names), the recorded effort aside: a chart's alone.
PACE_READS = (Workspace, Channel, Plan, PlanLine, *MARKED)
# A write to any of these works out every persona's pace again from her
# observations (the workspace's time zone, a bulk write). After any other write
# to a channel (its name) the names of the channels observed are read again.
_EVERY_PERSONA = (Workspace, *map(every_row, (*MARKED, Channel)))
# After a write to a plan or its lines the plans are read again; when the approved
# plans shown differ, or an approval wrote lines, every persona's pace is worked
# out again from the plans, her observations' figures kept (``_Histories``).


@dataclass
class _KeptPace:
    """The workspace's pace as kept, with what it was worked out from: the
    latest revisions of the ``MARKED`` kinds, of plans and of plan lines, each
    persona's mark, the names of the channels observed and the plans shown
    (``Reading.plans``)."""

    view: PaceView
    marked: int
    planned: tuple[int, int]
    marks: dict[int, int]
    names: dict[int, str]
    plans: dict[int, tuple[str, str, date, date]]
    named: int = 0


@dataclass
class _Planned:
    """The approved plans' lines for the quarters shown, as each persona's
    efforts, and the plans shown (``Reading.plans``): kept apart from the pace
    until a plan or a line is written, read again only then."""

    efforts: dict[int, list[PlanEffort]]
    plans: dict[int, tuple[str, str, date, date]]


# What ``_Planned`` is read from.
_PLANNED = (Plan, PlanLine)


@dataclass
class _Histories:
    """What each persona's observations answer for her state on a day
    (``kept_history``), with her mark when they were read, and the names of the
    channels observed: kept apart from the pace, read only to work every
    persona's pace out again after a plan changed."""

    marks: dict[int, int]
    histories: dict[int, KeptHistory]
    names: dict[int, str]
    named: int = 0


class _PaceKeeper:
    """``workspace_pace_view``'s steps: the pace worked out, or brought up to date."""

    def __init__(self, workspace: Workspace, personas: dict[int, str], marks, today) -> None:
        self.workspace, self.personas, self.marks, self.today = workspace, personas, marks, today
        self.marked = revision_of(workspace, MARKED)
        self.planned = (revision_of(workspace, [Plan]), revision_of(workspace, [PlanLine]))
        self.named = revision_of(workspace, [Channel])

    def names(self, names: dict[int, str], named: int) -> dict[int, str]:
        """``names`` of channels as read at revision ``named``: read again (one
        query) when a channel was written since."""
        if named >= self.named or not names:
            return names
        rows = Channel.objects.filter(workspace=self.workspace, pk__in=list(names))
        return dict(rows.values_list("pk", "name"))

    def view(self) -> PaceView:
        name = f"pace:{self.today}"
        kept = refreshed_value(
            self.workspace, name, self.compute, self.refresh, reads=_EVERY_PERSONA
        )
        return kept.view

    def compute(self) -> _KeptPace:
        """Every persona's pace, her observations read again unless their
        figures are kept under her mark as it is."""
        with collection_deferred():  # thousands of rows and figures, in no cycle
            return self._compute()

    def _compute(self) -> _KeptPace:
        workspace, personas, today = self.workspace, self.personas, self.today
        # Kept for the quarter: a new day reads again only what it changes.
        quarter = quarter_of(today).start
        histories_name = f"pace-histories:{quarter}"
        kept = value_kept(workspace, histories_name, reads=_EVERY_PERSONA)
        kept = kept or _Histories({}, {}, {}, self.named)
        moved = {
            pk
            for pk in personas
            if kept.marks.get(pk) != self.marks[pk] or not kept.histories[pk].answers(today)
        }
        reading = self._reading(quarter, moved)
        histories = _Histories(
            {pk: self.marks[pk] for pk in personas},
            {pk: kept.histories[pk] for pk in personas if pk not in moved},
            self.names(kept.names, kept.named) | reading.names,
            self.named,
        )
        for pk in moved:
            histories.histories[pk] = kept_history(reading.observations.get(pk, ()), today)
        if moved or kept.named < self.named:
            keep_value(workspace, histories_name, histories, reads=_EVERY_PERSONA)
        inputs = [
            PersonaInput(pk, name, (), reading.efforts.get(pk, ()), histories.histories[pk])
            for pk, name in personas.items()
        ]
        result = workspace_pace(inputs, today, workspace.pace_tolerance, EMERGING_THRESHOLD,
                                chart=False)  # fmt: skip
        view = _view(workspace, result, histories.names, reading.next_plans)
        return _KeptPace(view, self.marked, self.planned, dict(self.marks), histories.names,
                         reading.plans, self.named)  # fmt: skip

    def _reading(self, quarter: date, moved: set[int]) -> Reading:
        """The observations of the ``moved`` personas, and the plans' lines: as
        kept for the ``quarter`` (one query, none when no one moved), or read
        with them (one query) and kept."""
        workspace, today = self.workspace, self.today
        if len(moved) == len(self.personas):
            observed = Persona.objects.in_workspace(workspace).filter(archived=False).values("pk")
        else:
            observed = sorted(moved)
        planned_name = f"pace-plans:{quarter}"
        planned = value_kept(workspace, planned_name, reads=_PLANNED)
        if planned is None:
            # Every persona's lines (whoever is active now, none is missing later),
            # and the plans still to be settled that end in the quarter or later.
            reading = _read(_union(workspace, None, quarter, actuals=False, observed=observed))
            planned = _Planned(reading.efforts, reading.plans)
            keep_value(workspace, planned_name, planned, reads=_PLANNED)
        else:
            rows = _union(workspace, None, today, observed=observed, planned=False) if moved else ()
            reading = _read(rows)
            reading.efforts = planned.efforts
        reading.plans = _shown_on(planned.plans, today)
        return reading

    def refresh(self, kept: _KeptPace) -> _KeptPace:
        plan_written = kept.planned[0] < self.planned[0]
        lines_written = kept.planned[1] < self.planned[1]
        renamed = kept.named < self.named
        if kept.marked >= self.marked and not (plan_written or lines_written or renamed):
            return kept
        plans = kept.plans
        if plan_written or lines_written:
            rows = _plans_shown(self.workspace, self.today).values_list(
                "pk", "status", "name", "start", "end"
            )
            plans = {pk: (status, name, start, end) for pk, status, name, start, end in rows}
            if lines_written or _settled(plans) != _settled(kept.plans):
                return self.compute()
        personas, marks, today, tolerance = (
            self.personas, self.marks, self.today, self.workspace.pace_tolerance
        )  # fmt: skip
        moved = {pk: name for pk, name in personas.items() if marks[pk] != kept.marks.get(pk)}
        paces, names = kept.view.pace.by_key, self.names(kept.names, kept.named)
        if moved:
            reading = _read(_union(self.workspace, list(moved), today, actuals=False))
            fresh = workspace_pace(_inputs(moved, reading), today, tolerance, EMERGING_THRESHOLD,
                                   chart=False)  # fmt: skip
            paces, names = paces | fresh.by_key, names | reading.names
        result = gathered([paces[pk] for pk in personas], today, tolerance)
        view = _view(self.workspace, result, names, _next_plans(plans))
        return _KeptPace(view, self.marked, self.planned, dict(marks), names, plans, self.named)


def workspace_pace_view(
    workspace: Workspace,
    personas: dict[int, str],
    marks: dict[int, int],
    today: date | None = None,
) -> PaceView:
    """The pace of the workspace's active ``personas`` (pk: name, all of them), as
    ``load_pace`` works it out, kept in the cache until one of the rows it is
    computed from changes (``PACE_READS``), or the day does, whatever else is
    written meanwhile. After writes to personas and their mixes alone, the
    personas whose ``marks`` (pk: ``pace_revision``, read before this) moved are
    read and worked out again, the others' pace kept; after a write to plans,
    the plans are read again, and every persona is worked out again only when
    the approved plans shown changed, her observations read again only when
    her mark moved (``_Histories``). On a new day every persona is worked out
    again, her observations read again only when her figures turn that day
    (``KeptHistory.answers``); after a channel renamed, the names alone are read."""
    return _PaceKeeper(workspace, personas, marks, today or timezone.localdate()).view()


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
    view = load_pace(persona.workspace, {persona.pk: persona.name}, reading=reading, chart=True)
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

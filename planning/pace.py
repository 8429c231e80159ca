"""Keeping pace: is the team's effort moving as fast as each persona's audience?

This is Pacekeeper's own model, not an industry standard: every figure it
gives can be checked by hand from the definitions below, and it only suggests
moves, it never applies one.

Pure Python, no Django: plain values in, plain values out, like the allocation
engine.

Definitions (shares in percent, movements in percentage points):

1. **The mix as of a date** *d*: for each of the persona's usages, its last
   observation on or before *d* (observations of one day in the order they were
   recorded). A usage with no observation yet, or whose last one records its
   removal, is not in the mix. Shares are weights, read normalised to 100.
2. **The settled core at** *d*: the channels core in the mix as of *d* − 365
   days. When the records begin later than that, the channels core in the first
   recorded mix stand in for it.
3. **Where they are going at** *d*: the channels of the mix as of *d* that are
   emerging, or core but not in the settled core (they entered it in the last
   year).
4. **The audience's pace** A(d) = 100 × Σ shares of the channels where they are
   going ÷ Σ shares of the whole mix. A quarter's figure is read on its last
   day (today, for the quarter under way).
5. **Our pace** E(q) = 100 × (effort on experiments and exploration + effort on
   the channels that entered the core) ÷ all the persona's effort, in the
   approved plan covering quarter *q* (the plan overlapping it the most). It is
   computed twice: *allocated* from the plan's lines, *actual* from the effort
   recorded for the persona. The gap uses the allocated figure: it is what the
   team decided.
6. **Movement** over the window (the last two quarters, ``WINDOW``): ΔA = A(now) −
   A(window start), ΔE = E(now) − E(window start); per quarter, divided by the
   window's length.
7. **The gap** G = ΔE − ΔA. With a tolerance *t* (points): |G| ≤ *t* keeping
   pace; G < −*t* falling behind (the audience moves faster than the effort);
   G > *t* running ahead (the effort moves faster than the audience).
8. **The workspace's gap**: Σ wₚ·Gₚ ÷ Σ wₚ over the personas with a figure,
   wₚ being the persona's weight in the plan covering the latest quarter.

When the data is too thin to give a figure (fewer than two observations of the
mix a quarter apart, no mix recorded by the window's start, or no approved plan
covering a quarter of the window), the result says what to record instead.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    Inexact,
    Rounded,
    localcontext,
)
from enum import StrEnum
from fractions import Fraction
from functools import cached_property, lru_cache
from math import lcm
from operator import attrgetter
from typing import NamedTuple

from planning.allocation import LineKind

Number = int | Decimal | Fraction

CORE = "core"
EMERGING = "emerging"
YEAR = timedelta(days=365)
QUARTER_DAYS = 91  # two observations at least this far apart measure a movement
WINDOW = 2  # quarters the movements are measured over
HISTORY = 6  # quarters shown on the chart and in its table
HUNDRED = Fraction(100)


class State(StrEnum):
    KEEPING = "keeping"
    BEHIND = "behind"
    AHEAD = "ahead"

    @property
    def label(self) -> str:
        return {"keeping": "Keeping pace", "behind": "Falling behind", "ahead": "Running ahead"}[
            self.value
        ]


class MoveKind(StrEnum):
    RATIO = "ratio"  # a present share for the persona in the next plan
    EXPERIMENT = "experiment"  # an experiment to start on a channel
    PROMOTE = "promote"  # an emerging channel to promote into the core


# --- Inputs --------------------------------------------------------------------


class Observation(NamedTuple):
    """A usage's share and stage from ``on``; ``removed`` marks it leaving the mix.
    ``order`` breaks ties between observations of one day (the order recorded).
    A named tuple: a workspace's pace reads thousands, each made in a fraction of
    a frozen dataclass's time."""

    usage: Hashable
    channel: Hashable
    on: date
    share: Number
    stage: str
    order: int = 0
    removed: bool = False


class Effort(NamedTuple):
    """An amount of a persona's effort in a plan: on a channel (present) or on
    exploration (``future``: an experiment, possibly on a channel, or unassigned).
    A named tuple, as observations are: a workspace's plans hold thousands."""

    amount: Number
    channel: Hashable | None = None
    future: bool = False
    kind: str = LineKind.CHANNEL


@dataclass(frozen=True)
class PlanEffort:
    """An approved plan as one persona sees it: her weight and present share, her
    allocated lines and her recorded actual effort."""

    key: Hashable
    name: str
    start: date
    end: date
    weight: Number
    present_share: Number
    allocated: Sequence[Effort] = ()
    actual: Sequence[Effort] = ()


@dataclass(frozen=True)
class PersonaInput:
    key: Hashable
    name: str
    observations: Sequence[Observation] = ()
    plans: Sequence[PlanEffort] = ()
    # Her observations' figures already worked out (``kept_history``): then
    # ``observations`` are not read.
    history: _History | None = None


# --- Outputs -------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    start: date
    end: date

    @property
    def label(self) -> str:
        return f"Q{(self.start.month - 1) // 3 + 1} {self.start.year}"

    def reading(self, today: date) -> date:
        """The day its figures are read: its last day, or today while it runs."""
        return min(self.end, today)


def quarter_of(day: date, offset: int = 0) -> Quarter:
    """The calendar quarter holding ``day``, moved ``offset`` quarters."""
    index = day.year * 4 + (day.month - 1) // 3 + offset
    year, q = divmod(index, 4)
    start = date(year, q * 3 + 1, 1)
    after = date(year + (q == 3), (q * 3 + 3) % 12 + 1, 1)
    return Quarter(start, after - timedelta(days=1))


@dataclass(frozen=True)
class Point:
    """One quarter's figures for a persona (None: nothing to measure)."""

    quarter: Quarter
    audience: Decimal | None
    allocated: Decimal | None
    actual: Decimal | None
    plan: str = ""


@dataclass(frozen=True)
class Move:
    """The concrete move a state suggests."""

    kind: MoveKind
    channel: Hashable | None = None
    present_share: int | None = None


@dataclass(frozen=True)
class PersonaPace:
    key: Hashable
    name: str
    points: list[Point]
    weight: Decimal = Decimal(0)
    audience_moved: Decimal | None = None
    effort_moved: Decimal | None = None
    gap: Decimal | None = None
    state: State | None = None
    audience_now: Decimal | None = None
    effort_now: Decimal | None = None
    move: Move | None = None
    thin: list[str] = field(default_factory=list)  # what to record, when no figure

    @property
    def out_of_pace(self) -> bool:
        return self.state in (State.BEHIND, State.AHEAD)

    @property
    def sentence(self) -> str:
        return pace_sentence(self)


@dataclass(frozen=True)
class WorkspacePace:
    personas: list[PersonaPace]
    tolerance: int
    quarters: list[Quarter]
    gap: Decimal | None = None
    state: State | None = None

    @cached_property
    def by_key(self) -> dict[Hashable, PersonaPace]:
        return {p.key: p for p in self.personas}

    @property
    def most_out_of_pace(self) -> list[PersonaPace]:
        """Personas beyond the tolerance, the widest gap first."""
        out = [p for p in self.personas if p.out_of_pace]
        return sorted(out, key=lambda p: (-abs(p.gap), str(p.name)))

    @property
    def measured(self) -> list[PersonaPace]:
        return [p for p in self.personas if p.gap is not None]

    @property
    def thin(self) -> list[PersonaPace]:
        return [p for p in self.personas if p.gap is None]

    def count(self, state: State) -> int:
        return sum(1 for p in self.personas if p.state == state)


# --- The mix as of a date ------------------------------------------------------


def _order(observation: Observation) -> tuple:
    # A total order, so the result never depends on the order of the input. Shares
    # compare exactly whatever their type (int, Decimal, Fraction).
    o = observation
    return (o.on, o.order, o.removed, o.stage, o.share, str(o.channel))


def _ratio(amount: Number) -> tuple[int, int]:
    """An amount as numerator and denominator, no Fraction built for it."""
    if type(amount) is int:
        return amount, 1
    if isinstance(amount, Decimal):
        return amount.as_integer_ratio()
    fraction = Fraction(amount)
    return fraction.numerator, fraction.denominator


_when = attrgetter("on", "order")


class _History:
    """One persona's observations sorted once; each day's mix, settled core and
    audience worked out once however often the figures ask for them. Shares are
    kept as whole multiples of one common fraction (1 / ``unit``), so that a mix
    and its sums are integers: the same exact figures, sooner."""

    def __init__(self, observations: Sequence[Observation]) -> None:
        ordered = sorted(observations, key=_when)
        if len(set(map(_when, ordered))) < len(ordered):
            ordered.sort(key=_order)  # ties on day and order: the whole order decides
        self.ordered = ordered
        self.days = [o.on for o in self.ordered]
        shares = [o.share for o in ordered]
        if all(type(share) is int for share in shares):  # hundredths, as the pages read them
            self.unit, self.shares = 1, shares
        else:
            ratios = list(map(_ratio, shares))
            self.unit = lcm(*(d for _, d in ratios))
            self.shares = [n * (self.unit // d) for n, d in ratios]
        self._mixes: dict[date, dict[Hashable, tuple[int, str]]] = {}
        self._prefixes: dict[int, dict[Hashable, tuple[int, str]]] = {}
        self._settled: dict[date, set] = {}
        self._newly: dict[date, set] = {}
        self._audience: dict[date, Fraction | None] = {}

    def whole(self, day: date) -> dict[Hashable, tuple[int, str]]:
        """The mix on ``day``, its shares in units of 1 / ``unit``."""
        mix = self._mixes.get(day)
        if mix is None:
            # Days with the same observations before them share one mix.
            end = bisect_right(self.days, day)
            mix = self._prefixes.get(end)
            if mix is None:
                mix = self._prefixes[end] = _mix(self.ordered, self.shares, end)
            self._mixes[day] = mix
        return mix

    def mix(self, day: date) -> dict[Hashable, tuple]:
        """The mix on ``day`` as ``channel: (share, stage)``, shares as Fractions."""
        unit = self.unit
        return {c: (Fraction(share, unit), stage) for c, (share, stage) in self.whole(day).items()}

    def settled(self, day: date) -> set:
        settled = self._settled.get(day)
        if settled is None:
            first = self.days[0] if self.days else None
            settled = set() if first is None else _core(self.whole(max(day - YEAR, first)))
            self._settled[day] = settled
        return settled

    def newly(self, day: date) -> set:
        newly = self._newly.get(day)
        if newly is None:
            newly = self._newly[day] = _core(self.whole(day)) - self.settled(day)
        return newly

    def audience(self, day: date) -> Fraction | None:
        if day in self._audience:
            return self._audience[day]
        mix = self.whole(day)
        total = sum(share for share, _ in mix.values())
        audience = None
        if total:
            settled = self.settled(day)
            moving = sum(s for c, (s, stage) in mix.items() if stage != CORE or c not in settled)
            audience = Fraction(moving * 100, total)  # the unit cancels out
        self._audience[day] = audience
        return audience


class KeptHistory(_History):
    """What a persona's history answered for the days a state is read on, kept
    without her observations, for ``day`` and the days after it up to ``until``
    whose figures are the same (``answers``): asked for the mix of any other
    day, it refuses (a ``KeyError``), never answers wrongly."""

    def __init__(self, history: _History, day: date) -> None:
        self.day, self.until = day, _same_figures_until(history.days, day)
        self.ordered, self.shares = [], []
        self.days = history.days[:1] + history.days[-1:]  # all ``thin_data`` reads
        self.unit = history.unit
        self._mixes, self._prefixes = dict(history._mixes), {}
        self._settled, self._newly = dict(history._settled), dict(history._newly)
        self._audience = dict(history._audience)

    def answers(self, day: date) -> bool:
        """Whether her state on ``day`` reads only figures kept."""
        return self.day <= day <= self.until

    def _kept_day(self, day: date) -> date:
        return self.day if self.day < day <= self.until else day

    def whole(self, day: date) -> dict[Hashable, tuple[int, str]]:
        return self._mixes[self._kept_day(day)]

    def settled(self, day: date) -> set:
        return super().settled(self._kept_day(day))

    def newly(self, day: date) -> set:
        return super().newly(self._kept_day(day))

    def audience(self, day: date) -> Fraction | None:
        return super().audience(self._kept_day(day))


def _same_figures_until(days: Sequence[date], day: date) -> date:
    """The last day whose mix and settled core are those of ``day``, in its
    quarter (the quarters the movement is measured between stay the same): before
    the next observation, and before a year has passed since the next one after
    a year before ``day`` (the settled core is the mix a year earlier, or the
    first mix when the records begin later than that)."""
    until = quarter_of(day).end
    later = bisect_right(days, day)
    if later < len(days):
        until = min(until, days[later] - timedelta(days=1))
    settling = bisect_right(days, day - YEAR)
    if settling < len(days):
        until = min(until, days[settling] + YEAR - timedelta(days=1))
    return until


def kept_history(observations: Sequence[Observation], today: date) -> KeptHistory:
    """A persona's history with every figure her state on ``today`` can ask for
    worked out (not her chart's), small enough to keep: the audience and the
    newly core channels on the days the movement is measured between (the last
    is ``today``, whose mix her move reads). It answers for the later days whose
    figures are the same too (``KeptHistory.answers``)."""
    history = _History(observations)
    quarters = _quarters_of(today)
    for quarter in (quarters[-1 - WINDOW], quarters[-1]):
        day = quarter.reading(today)
        history.audience(day)
        history.newly(day)
    return KeptHistory(history, today)


def _mix(ordered: Sequence[Observation], shares: Sequence[int], end: int) -> dict:
    """The mix the first ``end`` observations (in order) leave: each usage's last,
    its share the whole number ``shares`` holds for it."""
    last = {o.usage: i for i, o in enumerate(ordered[:end])}
    mix: dict[Hashable, tuple[int, str]] = {}
    for i in last.values():
        _, channel, _, _, stage, _, removed = ordered[i]
        if removed:
            continue
        held = mix.get(channel)
        if held is None:
            mix[channel] = (shares[i], CORE if stage == CORE else EMERGING)
        else:  # two usages of one channel (merged channels): shares add, core wins
            mix[channel] = (held[0] + shares[i], CORE if CORE in (held[1], stage) else held[1])
    return mix


def mix_as_of(observations: Sequence[Observation], day: date) -> dict[Hashable, tuple]:
    """Each channel in the mix on ``day`` as ``channel: (share, stage)``: each
    usage's last observation on or before ``day``; removed usages left out."""
    return _History(observations).mix(day)


def _core(mix: dict) -> set:
    return {channel for channel, (_, stage) in mix.items() if stage == CORE}


def settled_core(observations: Sequence[Observation], day: date) -> set:
    """The channels core a year before ``day``, or in the first recorded mix when
    the records begin later than that."""
    return _History(observations).settled(day)


def audience_share(observations: Sequence[Observation], day: date) -> Fraction | None:
    """A(d): the percent of the mix on ``day`` on where they are going (emerging,
    or core since less than a year). None when the mix is empty."""
    return _History(observations).audience(day)


# --- Our pace ------------------------------------------------------------------


def effort_share(lines: Sequence[Effort], newly_core: set) -> Fraction | None:
    """E: the percent of ``lines`` on exploration or on channels in ``newly_core``."""
    return _Amounts(lines).share(newly_core)


# Decimals added without rounding, whatever their digits (a rounding would raise).
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact, Rounded])


def _sums(lines: Sequence[Effort]) -> tuple[Number, Number, dict[Hashable, Number]]:
    """All the lines' amounts, those on exploration and those on each channel,
    added up exactly: Decimals as Decimals, other amounts as Fractions."""
    total: Number = 0
    future: Number = 0
    channels: dict[Hashable, Number] = {}
    try:
        with localcontext(_EXACT):
            for e in lines:
                amount = e.amount
                total += amount
                if e.future:
                    future += amount
                else:
                    channels[e.channel] = channels.get(e.channel, 0) + amount
    except TypeError:  # Decimals with Fractions: all as Fractions
        total, future, channels = Fraction(0), Fraction(0), {}
        for e in lines:
            amount = Fraction(e.amount)
            total += amount
            if e.future:
                future += amount
            else:
                channels[e.channel] = channels.get(e.channel, 0) + amount
    return total, future, channels


class _Amounts:
    """Lines' amounts added up once: all of them, those on exploration and those
    on each channel, the only sums a share asks for (exploration counts whole, a
    channel when it newly entered the core)."""

    def __init__(self, lines: Sequence[Effort]) -> None:
        self.total, self.future, self.channels = _sums(lines)
        self._total = _ratio(self.total)

    def share(self, newly_core: set) -> Fraction | None:
        if not self.total:
            return None
        moving, channels = self.future, self.channels
        newly = [channels[c] for c in newly_core if c in channels]
        if newly:
            with localcontext(_EXACT):
                moving = sum(newly, moving)
        # moving ÷ total as one Fraction of integers, none built for either.
        (n, d), (total_n, total_d) = _ratio(moving), self._total
        return Fraction(n * total_d * 100, d * total_n)


def covering_plan(plans: Sequence[PlanEffort], quarter: Quarter) -> PlanEffort | None:
    """The plan overlapping ``quarter`` the most (a tie: the later start, then key)."""

    def overlap(plan: PlanEffort) -> int:
        return (min(plan.end, quarter.end) - max(plan.start, quarter.start)).days + 1

    overlapping = [p for p in plans if overlap(p) > 0]
    if not overlapping:
        return None
    return max(overlapping, key=lambda p: (overlap(p), p.start, str(p.key)))


class _Covering:
    """The plan covering each quarter shown, worked out once for every persona in
    the same plans: personas see the same plans (their own figures in each), so
    only the plans' dates and keys, in order, decide which covers a quarter."""

    def __init__(self, quarters: list[Quarter]) -> None:
        self.quarters = quarters
        self._chosen: dict[tuple, list[int | None]] = {}

    def plans(self, plans: Sequence[PlanEffort]) -> list[PlanEffort | None]:
        shape = tuple((p.start, p.end, str(p.key)) for p in plans)
        chosen = self._chosen.get(shape)
        if chosen is None:
            chosen = self._chosen[shape] = [
                _position(plans, covering_plan(plans, q)) for q in self.quarters
            ]
        return [None if i is None else plans[i] for i in chosen]


def _position(plans: Sequence[PlanEffort], plan: PlanEffort | None) -> int | None:
    return None if plan is None else next(i for i, p in enumerate(plans) if p is plan)


# --- Per persona ---------------------------------------------------------------


def _dec(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), ROUND_HALF_EVEN
    )


@dataclass
class _Series:
    audience: list[Fraction | None]
    allocated: list[Fraction | None]
    plans: list[PlanEffort | None]


class _Figures:
    """One persona's history and her plans' amounts, each read once."""

    def __init__(self, persona: PersonaInput) -> None:
        history = persona.history
        self.history = history if history is not None else _History(persona.observations)
        self._amounts: dict[tuple[int, bool], _Amounts] = {}

    def effort(self, plan: PlanEffort, actual: bool, day: date) -> Fraction | None:
        """E on ``day`` from the plan's allocated lines, or its ``actual`` effort."""
        amounts = self._amounts.get((id(plan), actual))
        if amounts is None:
            lines = plan.actual if actual else plan.allocated
            amounts = self._amounts[id(plan), actual] = _Amounts(lines)
        return amounts.share(self.history.newly(day))


def _series(
    persona: PersonaInput,
    quarters: list[Quarter],
    today: date,
    figures: _Figures,
    covering: _Covering | None = None,
    *,
    chart: bool = True,
) -> _Series:
    """Her audience and allocated effort in each quarter; without the ``chart``,
    only in the two quarters the movement is measured between (None elsewhere)."""
    plans = (covering or _Covering(quarters)).plans(persona.plans)
    series = _Series([None] * len(quarters), [None] * len(quarters), plans)
    measured = range(len(quarters)) if chart else (len(quarters) - 1 - WINDOW, len(quarters) - 1)
    for i in measured:
        day, plan = quarters[i].reading(today), plans[i]
        series.audience[i] = figures.history.audience(day)
        series.allocated[i] = figures.effort(plan, False, day) if plan else None
    return series


def _points(quarters: list[Quarter], today: date, s: _Series, figures: _Figures) -> list[Point]:
    out = []
    for i, quarter in enumerate(quarters):
        plan = s.plans[i]
        actual = None
        if plan is not None:
            actual = figures.effort(plan, True, quarter.reading(today))
        name = plan.name if plan else ""
        out.append(Point(quarter, _dec(s.audience[i]), _dec(s.allocated[i]), _dec(actual), name))
    return out


def _fmt_day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def thin_data(
    persona: PersonaInput,
    quarters: list[Quarter],
    today: date,
    s: _Series,
    days: Sequence[date] | None = None,
) -> list[str]:
    """What to record before the persona's pace can be measured (empty: enough).
    ``days``: the days of her observations in order, when they are at hand."""
    name, out = persona.name, []
    start = quarters[-1 - WINDOW]
    if days is None:
        days = sorted({o.on for o in persona.observations})
    if not days:
        out.append(f"No channel mix is recorded for {name}: add the channels they use today.")
    elif (days[-1] - days[0]).days < QUARTER_DAYS:
        due = days[0] + timedelta(days=QUARTER_DAYS)
        again = "today" if due <= today else f"on or after {_fmt_day(due)}"
        out.append(
            f"{name}'s channel mix has no two observations a quarter apart: record it again "
            f"{again} to measure how their audience moves."
        )
    elif s.audience[-1 - WINDOW] is None and days[0] > start.reading(today):
        out.append(
            f"{name}'s channel mix is first recorded on {_fmt_day(days[0])}: the pace since "
            f"{start.label} needs their mix as it was by {_fmt_day(start.reading(today))}."
        )
    elif None in (s.audience[-1 - WINDOW], s.audience[-1]):
        when = start if s.audience[-1 - WINDOW] is None else quarters[-1]
        out.append(
            f"{name}'s channel mix holds no share in {when.label}: record the shares of the "
            "channels they use."
        )
    for i in (-1 - WINDOW, -1):
        if s.allocated[i] is None:
            quarter = quarters[i]
            what = (
                "no approved plan covers it"
                if s.plans[i] is None
                else "the plan gives them no effort"
            )
            out.append(
                f"Your effort for {name} in {quarter.label} has no figure ({what}): approve a "
                f"plan for {quarter.label} with {name} in it."
            )  # fmt: skip
    return out


def state_of(gap: Fraction, tolerance: Number) -> State:
    if gap < -Fraction(tolerance):
        return State.BEHIND
    if gap > Fraction(tolerance):
        return State.AHEAD
    return State.KEEPING


def suggest_move(
    persona: PersonaInput,
    plan: PlanEffort,
    gap: Fraction,
    today: date,
    threshold: Number,
    history: _History | None = None,
) -> Move:
    """The move a state suggests. Falling behind: promote an emerging channel that
    holds ``threshold`` percent or more of the mix; else, when the persona's
    exploration in the plan has no experiment, start one on her largest emerging
    channel; else lower her present share by the gap. Running ahead (or keeping
    pace): her present share moved by the gap, in the next plan."""
    present = Fraction(plan.present_share)
    ratio = Move(MoveKind.RATIO, present_share=round(min(HUNDRED, max(Fraction(0), present + gap))))
    if gap >= 0:
        return ratio
    history = history or _History(persona.observations)
    mix = history.mix(today)
    total = sum((s for s, _ in mix.values()), Fraction(0))
    emerging = sorted(
        ((s, str(c), c) for c, (s, stage) in mix.items() if stage == EMERGING),
        key=lambda item: (-item[0], item[1]),
    )
    if emerging and total and emerging[0][0] * HUNDRED / total >= Fraction(threshold):
        return Move(MoveKind.PROMOTE, channel=emerging[0][2])
    explores = any(e.kind == LineKind.EXPERIMENT for e in plan.allocated)
    if emerging and not explores:
        return Move(MoveKind.EXPERIMENT, channel=emerging[0][2])
    return ratio


def _quarters(today: date) -> list[Quarter]:
    return list(_quarters_of(today))


@lru_cache(maxsize=8)
def _quarters_of(today: date) -> tuple[Quarter, ...]:
    # Worked out once a day, not once for each persona.
    return tuple(quarter_of(today, k) for k in range(1 - HISTORY, 1))


def persona_pace(
    persona: PersonaInput,
    today: date,
    tolerance: Number,
    threshold: Number = 16,
    *,
    covering: _Covering | None = None,
    chart: bool = True,
) -> PersonaPace:
    """One persona's pace over the last quarters up to ``today`` (see the module).
    ``covering``: the quarters and their plans, shared by every persona of a
    workspace (``workspace_pace``). Without the ``chart`` her ``points`` are left
    empty: the state, the gap and the move are the same."""
    quarters = covering.quarters if covering is not None else _quarters(today)
    figures = _Figures(persona)
    s = _series(persona, quarters, today, figures, covering, chart=chart)
    points = _points(quarters, today, s, figures) if chart else []
    latest = s.plans[-1]
    weight = Decimal(str(latest.weight)) if latest is not None else Decimal(0)
    thin = thin_data(persona, quarters, today, s, figures.history.days)
    if thin:
        return PersonaPace(persona.key, persona.name, points, weight, thin=thin)
    audience_moved = s.audience[-1] - s.audience[-1 - WINDOW]
    effort_moved = s.allocated[-1] - s.allocated[-1 - WINDOW]
    gap = effort_moved - audience_moved
    return PersonaPace(
        persona.key, persona.name, points, weight,
        _dec(audience_moved), _dec(effort_moved), _dec(gap), state_of(gap, tolerance),
        _dec(s.audience[-1]), _dec(s.allocated[-1]),
        suggest_move(persona, latest, gap, today, threshold, figures.history),
    )  # fmt: skip


def workspace_gap(personas: Sequence[PersonaPace]) -> Decimal | None:
    """Σ wₚ·Gₚ ÷ Σ wₚ over the personas with a figure (None: no weight to go by)."""
    measured = [p for p in personas if p.gap is not None and p.weight > 0]
    weights = sum((Fraction(p.weight) for p in measured), Fraction(0))
    if not weights:
        return None
    return _dec(
        sum((Fraction(p.weight) * Fraction(p.gap) for p in measured), Fraction(0)) / weights
    )


def workspace_pace(
    personas: Sequence[PersonaInput],
    today: date,
    tolerance: int,
    threshold: Number = 16,
    *,
    chart: bool = True,
) -> WorkspacePace:
    """Every persona's pace and the workspace's, weighted as the plans weight them.
    Without the ``chart``, no persona's ``points`` are worked out (pages that show
    the states alone)."""
    quarters = _quarters(today)
    covering = _Covering(quarters)
    paces = [
        persona_pace(p, today, tolerance, threshold, covering=covering, chart=chart)
        for p in personas
    ]
    return gathered(paces, today, tolerance)


def gathered(paces: list[PersonaPace], today: date, tolerance: int) -> WorkspacePace:
    """The workspace's pace from its personas' (worked out for ``today``)."""
    gap = workspace_gap(paces)
    state = None if gap is None else state_of(Fraction(gap), tolerance)
    return WorkspacePace(paces, tolerance, _quarters(today), gap, state)


# --- In words ------------------------------------------------------------------


def points(value: Decimal) -> str:
    """A movement in whole points, with its unit: "12 points", "1 point"."""
    whole = abs(value).quantize(Decimal(1), ROUND_HALF_EVEN)
    return f"{whole} point{'' if whole == 1 else 's'}"


def _moved(value: Decimal, towards: str, back: str) -> str:
    whole = abs(value).quantize(Decimal(1), ROUND_HALF_EVEN)
    if not whole:
        return "barely moved"
    return f"moved {points(value)} {towards if value > 0 else back}"


def pace_sentence(pace: PersonaPace) -> str:
    """The figures behind a persona's state, in one sentence."""
    if pace.gap is None:
        return " ".join(pace.thin)
    span = f"in the last {WINDOW} quarters" if WINDOW != 2 else "in the last two quarters"
    audience = _moved(pace.audience_moved, "towards emerging channels", "back towards their core")
    effort = _moved(pace.effort_moved, "", "").strip()
    if pace.effort_moved < 0 and effort != "barely moved":
        effort = f"fell back {points(pace.effort_moved)}"
    if pace.state == State.AHEAD:
        return (
            f"{pace.effort_now:.0f}% of your effort for {pace.name} goes to channels that hold "
            f"{pace.audience_now:.0f}% of their attention: your effort {effort} {span}, their "
            f"audience {audience}."
        )
    return f"{pace.name}'s audience {audience} {span}; your effort on them {effort}."

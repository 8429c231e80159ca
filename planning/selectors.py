"""A plan as its page shows it: the allocation, lines, roll-ups and warnings.

A draft (or returned, or in-review) plan is computed live from the personas,
their core channels and the funded experiments, with any what-if values the
user is trying; an approved plan reads its stored lines. Either way the page
gets the same ``PlanView``, built in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from django.db.models import Case, CharField, Count, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Cast, Concat
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from channels.models import Channel, ChannelUsage, Stage
from experiments.models import FUNDED, Experiment, ExperimentTarget, effective_weight
from pacekeeper.numbers import percentages
from pacekeeper.routes import url_pattern
from personas.models import Persona, RatioSource
from planning.actuals import ActualTotals, actual_totals
from planning.allocation import (
    FUTURE,
    PRESENT,
    Allocation,
    AllocationError,
    Bucket,
    ChannelShare,
    ExperimentShare,
    Line,
    LineKind,
    PersonaInput,
    allocate,
    balance,
    from_minor,
    to_minor,
)
from planning.models import Actual, Plan, PlanLine, PlanPersona, PlanStatus
from planning.pace_data import PaceView as PaceView
from planning.pace_data import load_pace as load_pace
from planning.pace_data import persona_pace_view as persona_pace_view
from planning.pace_data import read_persona_pace as read_persona_pace
from planning.pace_data import workspace_pace_view as workspace_pace_view
from planning.ratios import resolve_present_share
from planning.split import Drift, Split, three_ways
from workspaces.models import DRIFT_POINTS, Workspace, adoption_stage_label
from workspaces.revision import cached_value

if TYPE_CHECKING:
    from experiments.insights import Target, UsageFact

HUNDRED = Decimal(100)
# Ratios a persona brings into a plan of her own, rather than following the plan's.
OWN_SOURCES = (RatioSource.PERSONA, RatioSource.PLAN_PERSONA)
FOLLOWING = (RatioSource.PLAN, RatioSource.WORKSPACE, RatioSource.BALANCED)


def pct(part: Decimal, whole: Decimal) -> float | None:
    """A share in percent, for display (a float: cheap, and never summed back)."""
    return float(part) * 100 / float(whole) if whole else None


@dataclass
class WhatIf:
    """Values being tried on a draft plan, not saved."""

    present_share: int | None = None
    balance: bool | None = None  # None: as the plan is saved
    weights: dict[int, Decimal] = field(default_factory=dict)  # by PlanPersona pk
    shares: dict[int, int | None] = field(default_factory=dict)  # by PlanPersona pk


@dataclass(slots=True)
class LineView:
    bucket: Bucket
    kind: LineKind
    label: str
    amount: Decimal
    of_persona: Decimal | None  # shown shares in percent (one decimal, adding to 100)
    of_plan: Decimal | None
    url: str = ""
    channel_id: int | None = None  # the channel, or the experiment's channel
    channel_label: str = ""
    experiment_id: int | None = None
    persona_id: int | None = None
    actual: Decimal | None = None  # recorded for this persona on this line

    @property
    def remaining(self) -> Decimal | None:
        return None if self.actual is None else self.amount - self.actual


@dataclass
class PersonaRow:
    member_id: int | None
    persona: MemberPersona | None
    name: str
    weight: Decimal
    share: Decimal
    source: str
    source_label: str
    url: str = ""
    override: int | None = None
    suggestion: int | None = None
    stage_label: str = ""
    amount: Decimal = Decimal(0)
    present: Decimal = Decimal(0)
    future: Decimal = Decimal(0)
    persona_id: int | None = None
    actual_present: Decimal = Decimal(0)
    actual_future: Decimal = Decimal(0)
    of_plan: Decimal | None = None  # her shown share of the plan
    ratio_drift: Drift | None = None  # her actual split against her ratio, once recorded
    exact_share: Fraction | None = None  # the share balancing gives her, exactly
    # Her lines, built when first read: a live plan keeps the engine's lines
    # (``_pending``) until a page opens them, and the actuals to put on them.
    _lines: list[LineView] | None = field(default=None, repr=False)
    _pending: _PendingLines | None = field(default=None, repr=False)
    _line_actuals: ActualTotals | None = field(default=None, repr=False)

    @property
    def lines(self) -> list[LineView]:
        if self._lines is None:
            pending, self._pending = self._pending, None
            self._lines = [] if pending is None else pending.build(self)
            if self._line_actuals is not None:
                _put_line_actuals(self, self._line_actuals)
        return self._lines

    @property
    def lines_waiting(self) -> bool:
        """Her lines are the engine's still, not yet built for a page."""
        return self._lines is None and self._pending is not None

    @property
    def line_count(self) -> int:
        if self.lines_waiting:
            return len(self._pending.lines)
        return len(self.lines)

    @property
    def gaps(self) -> dict[LineKind, Decimal]:
        """Her lines without a channel or an experiment (at most one of each
        kind), in the order of her lines: read without building them."""
        if self.lines_waiting:
            # The engine's lines with no channel or experiment to go to.
            return {x.kind: from_minor(x.amount) for x in self._pending.lines if x.target is None}
        return {x.kind: x.amount for x in self.lines if x.kind.is_gap}

    def channel_lines(self, only: Container[int] | None = None) -> list[tuple[int, str, Decimal]]:
        """Her lines on her core channels as (channel, its name, amount), in
        order: read without building her lines. ``only``: the channels wanted."""
        if self.lines_waiting:
            pending = self._pending
            names = pending.inputs.channel_names
            return [
                (x.target, names[x.target], from_minor(x.amount))
                for x in pending.lines
                if x.bucket is PRESENT
                and x.target is not None
                and (only is None or x.target in only)
            ]
        return [
            (x.channel_id, x.label, x.amount)
            for x in self.lines
            if x.kind == LineKind.CHANNEL and (only is None or x.channel_id in only)
        ]

    def line_actuals(self, totals: ActualTotals) -> None:
        """Put the effort recorded for her on her lines (now, or once built)."""
        self._line_actuals = totals
        if self._lines is not None:
            _put_line_actuals(self, totals)

    @property
    def actual(self) -> Decimal:
        return self.actual_present + self.actual_future

    @property
    def actual_share(self) -> float | None:
        return pct(self.actual_present, self.actual)

    @property
    def present_lines(self) -> list[LineView]:
        return [line for line in self.lines if line.bucket == PRESENT]

    @property
    def future_lines(self) -> list[LineView]:
        return [line for line in self.lines if line.bucket == FUTURE]

    @property
    def future_share(self) -> Decimal:
        return HUNDRED - self.share

    @property
    def follows_suggestion(self) -> bool:
        return self.suggestion is None or Decimal(self.suggestion) == self.share

    @property
    def ratio(self) -> Split:
        return Split(f"{self.name}'s ratio", f"{self.name}'s ratio", self.share)

    @property
    def allocated_share(self) -> Decimal | None:
        return None if not self.amount else self.present * HUNDRED / self.amount

    def drifts(self, tolerance: int) -> list[Drift]:
        """Her allocated and actual split against her ratio, and actual against allocated."""
        allocated = self.allocated_share
        actual = self.actual_share
        return three_ways(
            self.ratio,
            None if allocated is None else Split("Allocated", "the allocated", allocated),
            None if actual is None else Split("Actual", "the actual", actual),
            tolerance,
        )

    @property
    def off_ratio(self) -> Drift | None:
        """Her actual split against her ratio, when beyond the tolerance."""
        return self.ratio_drift if self.ratio_drift is not None and self.ratio_drift.off else None


@dataclass
class RollupRow:
    label: str
    present: Decimal
    future: Decimal
    of_plan: Decimal | None
    url: str = ""
    key: int | None = None  # the channel or experiment id
    actual: Decimal | None = None
    note: str = ""  # a row for effort that has no channel or experiment of its own

    @property
    def remaining(self) -> Decimal | None:
        return None if self.actual is None else self.total - self.actual

    @property
    def total(self) -> Decimal:
        return self.present + self.future


@dataclass
class Warning:
    text: str
    url: str = ""
    action: str = ""


@dataclass(frozen=True)
class LineSums:
    """The lines' effort the tables show in rows of their own: on experiments
    without a channel (and their names), on no experiment, on no channel."""

    loose_labels: set[str]
    loose: Decimal
    unassigned: Decimal
    unplaced: Decimal


@dataclass
class PlanView:
    plan: Plan
    total: Decimal
    target_share: int
    personas: list[PersonaRow] = field(default_factory=list)
    channels: list[RollupRow] = field(default_factory=list)
    experiments: list[RollupRow] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    present: Decimal = Decimal(0)
    future: Decimal = Decimal(0)
    error: str = ""
    balance_problem: str = ""  # why balancing to the headline cannot work, if it cannot
    stored: bool = False
    whatif: bool = False
    actual_present: Decimal = Decimal(0)
    actual_future: Decimal = Decimal(0)
    tolerance: int = DRIFT_POINTS
    # What the tables need of every line, when known without building them (a
    # live plan knows them from the engine); else read from the lines.
    known_sums: LineSums | None = None
    known_experiment_channels: dict[int, int] | None = None

    @property
    def actual(self) -> Decimal:
        return self.actual_present + self.actual_future

    @cached_property
    def line_sums(self) -> LineSums:
        if self.known_sums is not None:
            return self.known_sums
        lines = [line for _row, line in self.lines]
        loose = {
            line.label
            for line in lines
            if line.kind == LineKind.EXPERIMENT and not line.channel_label
        }
        return LineSums(
            loose,
            _sum(lines, LineKind.EXPERIMENT, loose),
            _sum(lines, LineKind.UNASSIGNED),
            _sum(lines, LineKind.UNPLACED),
        )

    @property
    def experiment_channels(self) -> dict[int, int]:
        """Each experiment of the plan's lines that has a channel: its channel."""
        if self.known_experiment_channels is not None:
            return self.known_experiment_channels
        return {
            line.experiment_id: line.channel_id
            for _row, line in self.lines
            if line.kind == LineKind.EXPERIMENT and line.channel_id and line.experiment_id
        }

    @property
    def drift_off(self) -> bool:
        """The actual split is further from the headline than the tolerance."""
        return self.drift is not None and abs(self.drift) > self.tolerance

    # The three splits, and the drift between each two of them.

    @property
    def headline(self) -> Split:
        return Split("The plan's headline", "the plan's headline", self.target_share)

    @property
    def allocated_split(self) -> Split | None:
        share = self.planned_present_share
        return None if share is None else Split("Allocated", "the allocated", share)

    @property
    def actual_split(self) -> Split | None:
        share = self.actual_share
        return None if share is None else Split("Actual", "the actual", share)

    @property
    def drifts(self) -> list[Drift]:
        """Allocated against the headline, actual against the allocated, actual
        against the headline: each that can be measured."""
        return three_ways(self.headline, self.allocated_split, self.actual_split, self.tolerance)

    @property
    def own_ratio_rows(self) -> list[PersonaRow]:
        """Personas whose ratio is not the plan's: their own, or set for this plan."""
        return [
            r for r in self.personas if r.source in OWN_SOURCES and r.share != self.target_share
        ]

    @property
    def balanced_rows(self) -> list[PersonaRow]:
        return [r for r in self.personas if r.source == RatioSource.BALANCED]

    @property
    def followers(self) -> list[PersonaRow]:
        """Personas that take the plan's ratio: the ones balancing adjusts."""
        return [r for r in self.personas if r.source in FOLLOWING]

    @property
    def source_sentence(self) -> str:
        """The headline, the allocated split and why they differ, in words:
        "Plan 70 / 30 · allocated 74 / 26 because 2 personas use their own ratio"."""
        allocated = self.allocated_split
        text = f"Plan {self.headline.text}"
        if allocated is None:
            return text
        text += f" · allocated {allocated.text}"
        own, balanced = len(self.own_ratio_rows), len(self.balanced_rows)
        if balanced:
            return f"{text}: {balanced} persona{pluralize(balanced)} balanced to the headline"
        if own:
            verb = "uses its" if own == 1 else "use their"
            return f"{text} because {own} persona{pluralize(own)} {verb} own ratio"
        if allocated.text != self.headline.text:
            return f"{text}: rounding of the effort to the hundredth"
        return f"{text}: every persona follows the plan's ratio"

    @property
    def actual_share(self) -> float | None:
        """The actual present share, in percent, once effort is recorded."""
        return pct(self.actual_present, self.actual)

    @property
    def drift(self) -> float | None:
        """Points between the actual present share and the target."""
        share = self.actual_share
        return None if share is None else share - self.target_share

    @property
    def planned_drift(self) -> float | None:
        share = self.planned_present_share
        return None if share is None else share - self.target_share

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.actual

    @property
    def allocated(self) -> Decimal:
        return self.present + self.future

    @property
    def planned_present_share(self) -> float | None:
        return pct(self.present, self.total)

    @property
    def planned_future_share(self) -> float | None:
        share = self.planned_present_share
        return None if share is None else 100 - share

    @property
    def lines(self) -> list[tuple[PersonaRow, LineView]]:
        return [(row, line) for row in self.personas for line in row.lines]

    # Tables that reconcile: read them once the actuals are in (``with_actuals``).

    @cached_property
    def channel_table(self) -> Table:
        """Per channel, then experiments without a channel, unassigned exploration
        and unplaced present effort: the rows add up to the plan's total."""
        sums = self.line_sums
        loose = sums.loose_labels
        extra = [
            RollupRow(NO_CHANNEL, ZERO, sums.loose, None,
                      actual=sum((r.actual or ZERO for r in self.experiments if r.label in loose), ZERO),
                      note="Their exploration counts for no channel."),
            RollupRow(GAP_LABELS[LineKind.UNASSIGNED], ZERO, sums.unassigned, None,
                      note="Exploration with no experiment yet."),
            RollupRow(UNPLACED, sums.unplaced, ZERO, None,
                      note="Present effort of personas with no core channel."),
        ]  # fmt: skip
        return _table(self, self.channels, extra, self.actual, every_share=True)

    @cached_property
    def experiment_table(self) -> Table:
        """Per experiment, then unassigned exploration: the rows add up to the
        plan's effort where they are going."""
        extra = [
            RollupRow(GAP_LABELS[LineKind.UNASSIGNED], ZERO, self.line_sums.unassigned, None,
                      note="Exploration with no experiment yet."),
        ]  # fmt: skip
        return _table(self, self.experiments, extra, self.actual_future, every_share=False)


class Links:
    """The URLs a plan view links to, each reversed once however many lines use it."""

    def __init__(self, slug: str) -> None:
        self.slug = slug
        self._patterns: dict[str, Callable[[int], str]] = {}
        self._new_experiment: str | None = None

    def _url(self, name: str, pk: int | None) -> str:
        if pk is None:
            return ""
        pattern = self._patterns.get(name)
        if pattern is None:
            pattern = self._patterns[name] = url_pattern(name, self.slug)
        return pattern(pk)

    def channel(self, pk: int | None) -> str:
        return self._url("channels:detail", pk)

    def experiment(self, pk: int | None) -> str:
        return self._url("experiments:detail", pk)

    def persona(self, pk: int | None) -> str:
        return self._url("personas:detail", pk)

    def new_experiment(self, persona_id: int | None = None) -> str:
        if self._new_experiment is None:
            self._new_experiment = reverse("experiments:create", args=[self.slug])
        url = self._new_experiment
        return f"{url}?persona={persona_id}" if persona_id else url


# The label a line without a channel or an experiment shows, and the warning it raises.
GAP_LABELS = {
    LineKind.UNPLACED: "Unplaced: no channel data",
    LineKind.UNASSIGNED: "Unassigned exploration",
}
GAP_WARNINGS = {
    LineKind.UNPLACED: (
        "{amount:,.2f} of {name}'s present effort is unplaced: no core channel with a share.",
        "Record channels",
    ),
    LineKind.UNASSIGNED: (
        "{amount:,.2f} of {name}'s exploration has no experiment.",
        "Plan an experiment",
    ),
}


def _gap_url(kind: LineKind, row: PersonaRow, links: Links) -> str:
    """Where to fix a line without a channel (the persona's mix) or an experiment."""
    if kind == LineKind.UNPLACED:
        return f"{row.url}#section-mix" if row.url else ""
    return links.new_experiment(row.persona_id)


def _by_total(rollups) -> list[RollupRow]:
    return sorted(rollups, key=lambda r: (-r.total, r.label))


ZERO = Decimal(0)
NO_CHANNEL = "Experiments without a channel"
UNPLACED = "Unplaced present effort"
ELSEWHERE = "Recorded outside the plan's lines"


@dataclass
class Table:
    """Rows of a table that reconciles, and its total row."""

    rows: list[RollupRow]
    total: RollupRow

    def top(self, limit: int | None, more: str, url: str = "") -> Table:
        """The first ``limit`` named rows (the largest: rows are by total), the
        rest folded into one row that says how many, and every row without a
        channel or experiment of its own: it still adds up to the same total."""
        named = [r for r in self.rows if not r.note]
        if limit is None or len(named) <= limit:
            return self
        rest = named[limit:]
        shares = [r.of_plan for r in rest if r.of_plan is not None]
        folded = RollupRow(
            f"{len(rest)} more {more}",
            sum((r.present for r in rest), ZERO),
            sum((r.future for r in rest), ZERO),
            sum(shares, Decimal("0.0")) if shares else None,
            url,
            actual=sum((r.actual for r in rest if r.actual is not None), ZERO)
            if any(r.actual is not None for r in rest)
            else None,
        )
        return Table([*named[:limit], folded, *(r for r in self.rows if r.note)], self.total)


def _sum(lines: list[LineView], kind: LineKind, labels: set[str] | None = None) -> Decimal:
    return sum(
        (x.amount for x in lines if x.kind == kind and (labels is None or x.label in labels)),
        ZERO,
    )


def _table(
    view: PlanView,
    rows: list[RollupRow],
    extra: list[RollupRow],
    actual: Decimal,
    *,
    every_share: bool,
) -> Table:
    """``rows`` and the ``extra`` rows with an amount; a row for actuals recorded
    on nothing in the table; shares of the plan that add to 100 over the whole
    plan (for a table of part of it, the rest of the plan counts in the sum)."""
    rows = [*rows, *(r for r in extra if r.total)]
    recorded = sum((r.actual or ZERO for r in rows), ZERO)
    if actual and actual != recorded:
        rows.append(RollupRow(ELSEWHERE, ZERO, ZERO, None, actual=actual - recorded,
                              note="Recorded on a channel or experiment that has no line in this plan."))  # fmt: skip
    amounts = [r.total for r in rows]
    rest = [] if every_share else [view.allocated - sum(amounts, ZERO)]
    shares = percentages([*amounts, *rest])
    for row, share in zip(rows, shares, strict=False):
        row.of_plan = share
    shown = [s for s in shares[: len(rows)] if s is not None]
    total = RollupRow(
        "Total",
        sum((r.present for r in rows), ZERO),
        sum((r.future for r in rows), ZERO),
        sum(shown, Decimal("0.0")) if shown else None,
        actual=actual,
    )
    return Table(rows, total)


def _hundredths(amounts) -> list[int]:
    """Efforts (two decimals at most) as whole hundredths: the fast way to share them."""
    return [int(amount.scaleb(2)) for amount in amounts]


def _shown_shares(view: PlanView) -> None:
    """Shares for display, each set adding to 100: lines of the plan, lines of
    each persona (a live plan's when they are built), personas of the plan."""
    if not any(row.lines_waiting for row in view.personas):
        lines = [line for _row, line in view.lines]
        for line, share in zip(
            lines, percentages(_hundredths(x.amount for x in lines)), strict=True
        ):
            line.of_plan = share
        for row in view.personas:
            shares = percentages(_hundredths(line.amount for line in row.lines))
            for line, share in zip(row.lines, shares, strict=True):
                line.of_persona = share
    shares = percentages(_hundredths(row.amount for row in view.personas))
    for row, share in zip(view.personas, shares, strict=True):
        row.of_plan = share


class _PlanLineShares:
    """Every line's shown share of a live plan, worked out together (they add
    to 100) the first time one persona's lines are built."""

    def __init__(self, rows: list[PersonaRow], lines: dict[int, list[Line]]) -> None:
        self.order = [row.persona_id for row in rows]
        self.lines = lines
        self._shares: dict[int, list[Decimal | None]] | None = None

    def of(self, key: int) -> list[Decimal | None]:
        if self._shares is None:
            # The engine's amounts are the hundredths ``_shown_shares`` reads.
            shares = percentages([x.amount for k in self.order for x in self.lines.get(k, ())])
            self._shares, start = {}, 0
            for k in self.order:
                end = start + len(self.lines.get(k, ()))
                self._shares[k] = shares[start:end]
                start = end
        return self._shares[key]


@dataclass
class _PendingLines:
    """One persona's engine lines, waiting to be shown."""

    lines: list[Line]
    inputs: _LiveInputs
    links: Links
    plan_shares: _PlanLineShares

    def build(self, row: PersonaRow) -> list[LineView]:
        views = [_line_view(line, row, self.inputs, self.links) for line in self.lines]
        of_persona = percentages([line.amount for line in self.lines])
        of_plan = self.plan_shares.of(row.persona_id)
        for view, mine, plans in zip(views, of_persona, of_plan, strict=True):
            view.of_persona, view.of_plan = mine, plans
        return views


class MemberPersona(NamedTuple):
    """What a plan reads of one of its personas (plain values, a tuple: a large
    plan has hundreds, and a what-if's kept reading unpickles them every move)."""

    pk: int
    name: str
    archived: bool
    adoption_stage: str
    present_share_override: int | None
    url: str

    def get_absolute_url(self) -> str:
        return self.url

    def get_adoption_stage_display(self) -> str:
        return adoption_stage_label(self.adoption_stage)


class Member(NamedTuple):
    """A persona in a plan (a ``PlanPersona``'s values): her weight and the
    share the plan gives her, if any."""

    pk: int
    weight: Decimal
    present_share_override: int | None
    persona: MemberPersona

    @property
    def persona_id(self) -> int:
        return self.persona.pk


def plan_members(plan: Plan) -> list[Member]:
    """The plan's personas with their settings, by name, as plain values. One query."""
    persona_url = url_pattern("personas:detail", plan.workspace.slug)
    rows = (
        PlanPersona.objects.in_workspace(plan.workspace)
        .filter(plan=plan)
        .order_by("persona__name", "pk")
        .values_list(
            "pk", "weight", "present_share_override", "persona_id", "persona__name",
            "persona__archived", "persona__adoption_stage", "persona__present_share_override",
        )
    )  # fmt: skip
    return [
        Member(pk, weight, share, MemberPersona(persona, name, archived, stage, own, persona_url(persona)))
        for pk, weight, share, persona, name, archived, stage, own in rows
    ]  # fmt: skip


@dataclass(frozen=True)
class KnownFacts:
    """What a page already read of the whole workspace, so a live plan's view
    reads it no second time: the active channel usages (``active_usages``) and
    the targets of exploring experiments (``experiments_and_targets``)."""

    usages: list[UsageFact]
    targets: list[Target]


def plan_view(
    plan: Plan,
    whatif: WhatIf | None = None,
    members: list[Member] | None = None,
    known: KnownFacts | None = None,
    reading: LiveReading | None = None,
) -> PlanView:
    """``members`` and ``known`` may be passed when the caller already loaded
    them; a live plan's ``reading`` (``read_live_plan``) brings everything it reads."""
    if plan.is_frozen:
        return _stored_view(plan)
    if reading is not None:
        return _live_view(plan, whatif, reading.members, inputs=reading.inputs)
    return _live_view(plan, whatif, plan_members(plan) if members is None else members, known)


@dataclass
class LiveReading:
    """All a live plan's view reads, for a page that recomputes it again and
    again (the what-if) to keep: its members with their personas, their core
    channels and funded experiments, and the effort recorded on the plan."""

    members: list[Member]
    inputs: _LiveInputs
    actuals: ActualTotals


# Every kind of row ``read_live_plan`` reads, for keeping what it read until one changes.
LIVE_PLAN_READS = (
    Workspace, Plan, PlanPersona, Persona, ChannelUsage, Channel, ExperimentTarget, Experiment,
    Actual,
)  # fmt: skip


def read_live_plan(plan: Plan) -> LiveReading:
    """Four queries: the members, their core usages, the funded targets, the actuals."""
    members = plan_members(plan)
    active = [m.persona_id for m in members if not m.persona.archived]
    return LiveReading(members, _read_inputs(plan.workspace, active, None), actual_totals(plan))


def kept_live_plan(plan: Plan) -> LiveReading:
    """``read_live_plan``, kept in the cache until a write to a kind of row it
    reads (``LIVE_PLAN_READS``): a what-if, or a persona's lines opened, recompute
    every figure from it without reading again."""
    return cached_value(
        plan.workspace,
        f"plan-reading:{plan.pk}:{plan.version}",
        lambda: read_live_plan(plan),
        reads=LIVE_PLAN_READS,
    )


# --- A live plan: computed from the personas, their channels and experiments ---


@dataclass
class _LiveInputs:
    """What the engine needs about the plan's active personas, read in two queries."""

    usages: dict[int, list[tuple[int, int]]]  # persona → (channel, share in hundredths)
    channel_names: dict[int, str]
    targets: dict[int, list[FundedTarget]]  # persona → funded experiments targeting it

    @cached_property
    def experiments(self) -> dict[int, FundedExperiment]:
        return {t.experiment_id: t.experiment for rows in self.targets.values() for t in rows}


@dataclass(frozen=True)
class FundedExperiment:
    """What a live plan uses of a funded experiment."""

    title: str
    channel_id: int | None
    effective_weight: Decimal


@dataclass(frozen=True)
class FundedTarget:
    """A persona targeted by a funded experiment, as plain values."""

    persona_id: int
    experiment_id: int
    experiment: FundedExperiment


def _core_usages(workspace, persona_ids: list[int], known: KnownFacts | None):
    """(persona, channel, share, channel's name) of the personas' core channels."""
    if known is not None:
        wanted = set(persona_ids)
        return [
            (u.persona_id, u.channel_id, u.share, u.channel.name)
            for u in known.usages
            if u.persona_id in wanted and u.stage == Stage.CORE
        ]
    return (
        ChannelUsage.objects.in_workspace(workspace)
        .filter(
            persona_id__in=persona_ids, stage=Stage.CORE, archived=False, channel__archived=False
        )
        .values_list("persona_id", "channel_id", "share", "channel__name")
    )


def _funded_targets(workspace, persona_ids: list[int], known: KnownFacts | None):
    """The personas' targets of funded experiments not archived, by title, as
    (target, the name of the experiment's channel)."""
    if known is not None:
        wanted = set(persona_ids)
        for t in known.targets:
            e = t.experiment
            if t.persona_id in wanted and e.status in FUNDED and not e.archived:
                funded = FundedExperiment(e.title, e.channel_id, e.effective_weight)
                name = e.channel.name if e.channel is not None else None
                yield FundedTarget(t.persona_id, t.experiment_id, funded), name
        return
    rows = (
        ExperimentTarget.objects.in_workspace(workspace)
        .filter(
            persona_id__in=persona_ids, experiment__status__in=FUNDED, experiment__archived=False
        )
        .order_by("experiment__title")
        .values_list(
            "persona_id", "experiment_id", "experiment__title", "experiment__channel_id",
            "experiment__channel__name", "experiment__weight", "experiment__impact",
            "experiment__confidence", "experiment__ease",
        )
    )  # fmt: skip
    for persona_id, pk, title, channel_id, name, weight, impact, confidence, ease in rows:
        funded = FundedExperiment(
            title, channel_id, effective_weight(weight, impact, confidence, ease)
        )
        yield FundedTarget(persona_id, pk, funded), name


def _read_inputs(workspace, persona_ids: list[int], known: KnownFacts | None) -> _LiveInputs:
    # Plain values, not model instances: a large plan has thousands of usages.
    usages: dict[int, list[tuple[int, int]]] = defaultdict(list)
    channel_names: dict[int, str] = {}
    for persona_id, channel_id, share, channel_name in _core_usages(workspace, persona_ids, known):
        # Shares are stored with two decimals: whole hundredths keep the
        # engine on its integer fast path.
        usages[persona_id].append((channel_id, int(share.scaleb(2))))
        channel_names[channel_id] = channel_name
    targets: dict[int, list[FundedTarget]] = defaultdict(list)
    for target, channel_name in _funded_targets(workspace, persona_ids, known):
        targets[target.persona_id].append(target)
        # A channel reached only through an experiment on it still has a name.
        if target.experiment.channel_id is not None:
            channel_names.setdefault(target.experiment.channel_id, channel_name)
    return _LiveInputs(usages, channel_names, targets)


def _persona_row(
    member: Member, whatif: WhatIf, plan_share: int | None, workspace, links: Links
) -> PersonaRow:
    persona = member.persona
    override = whatif.shares.get(member.pk, member.present_share_override)
    share, source = resolve_present_share(
        plan_persona=override,
        persona=persona.present_share_override,
        plan=plan_share,
        workspace=workspace.default_present_share,
    )
    return PersonaRow(
        member_id=member.pk,
        persona=persona,
        name=persona.name,
        weight=whatif.weights.get(member.pk, member.weight),
        share=Decimal(share),
        source=source,
        source_label=RatioSource(source).label,
        override=override,
        suggestion=workspace.suggested_present_share(persona.adoption_stage),
        stage_label=persona.get_adoption_stage_display(),
        url=links.persona(persona.pk),
        persona_id=persona.pk,
    )


def _engine_input(row: PersonaRow, inputs: _LiveInputs) -> PersonaInput:
    key = row.persona_id
    return PersonaInput(
        key=key,
        weight=row.weight,
        present_share=row.exact_share if row.exact_share is not None else int(row.share),
        channels=[ChannelShare(channel, share) for channel, share in inputs.usages[key]],
        experiments=[
            ExperimentShare(t.experiment_id, t.experiment.effective_weight, t.experiment.channel_id)
            for t in inputs.targets[key]
        ],
    )


def _line_view(line, row: PersonaRow, inputs: _LiveInputs, links: Links) -> LineView:
    """One engine line as the page shows it: its label, link and channel."""
    amount = from_minor(line.amount)
    channel_id, experiment_id = None, None
    if line.kind == LineKind.CHANNEL:
        channel_id = line.target
        label, url = inputs.channel_names[channel_id], links.channel(channel_id)
    elif line.kind == LineKind.EXPERIMENT:
        experiment = inputs.experiments[line.target]
        channel_id, experiment_id = experiment.channel_id, line.target
        label, url = experiment.title, links.experiment(experiment_id)
    else:
        label, url = GAP_LABELS[line.kind], _gap_url(line.kind, row, links)
    return LineView(
        bucket=line.bucket, kind=line.kind, label=label, amount=amount,
        of_persona=None, of_plan=None, url=url,
        channel_id=channel_id, channel_label=inputs.channel_names.get(channel_id, "") if channel_id else "",
        experiment_id=experiment_id, persona_id=line.persona,
    )  # fmt: skip


def _live_rollups(view: PlanView, result, inputs: _LiveInputs, links: Links) -> None:
    view.channels = _by_total(
        RollupRow(
            inputs.channel_names[key], from_minor(t.present), from_minor(t.future),
            None, links.channel(key), key,
        )
        for key, t in result.channels.items()
    )  # fmt: skip
    experiments = inputs.experiments
    view.experiments = _by_total(
        RollupRow(
            experiments[key].title, Decimal(0), from_minor(amount),
            None, links.experiment(key), key,
        )
        for key, amount in result.experiments.items()
    )  # fmt: skip


def _fill_from_result(view: PlanView, result, rows: dict[int, PersonaRow], inputs, links) -> None:
    """The engine's result onto the persona rows and the roll-ups. Each row's
    lines wait to be built until a page reads them: most pages show a
    persona's totals, and only the lines of the personas opened."""
    for key, totals in result.personas.items():
        row = rows[key]
        row.amount = from_minor(totals.amount)
        row.present, row.future = from_minor(totals.present), from_minor(totals.future)
    grouped: dict[int, list[Line]] = defaultdict(list)
    for line in result.lines:
        grouped[line.persona].append(line)
    shares = _PlanLineShares(view.personas, grouped)
    for key, row in rows.items():
        row._lines = None
        row._pending = _PendingLines(grouped.get(key, []), inputs, links, shares)
    view.present = from_minor(result.buckets[PRESENT])
    view.future = from_minor(result.buckets[FUTURE])
    _live_rollups(view, result, inputs, links)
    _live_sums(view, result, inputs)


def _live_sums(view: PlanView, result, inputs: _LiveInputs) -> None:
    """What the tables need of every line, from the engine's totals."""
    experiments, names = inputs.experiments, inputs.channel_names
    loose = {
        e.title
        for key in result.experiments
        if not ((e := experiments[key]).channel_id and names.get(e.channel_id, ""))
    }
    view.known_sums = LineSums(
        loose,
        sum(
            (from_minor(a) for k, a in result.experiments.items() if experiments[k].title in loose),
            ZERO,
        ),
        from_minor(result.unassigned) if result.unassigned else ZERO,
        from_minor(result.unplaced) if result.unplaced else ZERO,
    )
    view.known_experiment_channels = {
        key: experiments[key].channel_id
        for key in result.experiments
        if experiments[key].channel_id
    }


def _archived_warnings(members: list[Member]) -> list[Warning]:
    return [
        Warning(
            f"{m.persona.name} is archived and left out of this plan.",
            m.persona.get_absolute_url(),
            "Restore",
        )
        for m in members
        if m.persona.archived
    ]


def _gap_warnings(view: PlanView, links: Links) -> list[Warning]:
    warnings = []
    for row in view.personas:
        for kind, amount in row.gaps.items():
            text, action = GAP_WARNINGS[kind]
            warnings.append(
                Warning(
                    text.format(amount=amount, name=row.name), _gap_url(kind, row, links), action
                )
            )
    return warnings


def _live_view(
    plan: Plan,
    whatif: WhatIf | None,
    members: list[Member],
    known: KnownFacts | None = None,
    *,
    inputs: _LiveInputs | None = None,
) -> PlanView:
    return live_plan_view(live_allocation(plan, whatif, members, known, inputs=inputs))


@dataclass
class LiveAllocation:
    """A live plan's view with its persona rows, and the engine's result (None
    when there is nothing to allocate or the engine refuses: the view says why)."""

    view: PlanView
    rows: dict[int, PersonaRow]
    inputs: _LiveInputs
    links: Links
    result: Allocation | None


def live_allocation(
    plan: Plan,
    whatif: WhatIf | None = None,
    members: list[Member] | None = None,
    known: KnownFacts | None = None,
    *,
    inputs: _LiveInputs | None = None,
) -> LiveAllocation:
    """A live plan's members and their inputs read (unless given), and the
    engine run: enough to count its tables (``live_sizes``), not yet its view
    (``live_plan_view``)."""
    workspace = plan.workspace
    members = plan_members(plan) if members is None else members
    whatif = whatif or WhatIf()
    plan_share = whatif.present_share if whatif.present_share is not None else plan.present_share
    view = PlanView(
        plan=plan,
        total=plan.total_effort,
        target_share=plan_share if plan_share is not None else workspace.default_present_share,
        whatif=bool(whatif.weights or whatif.shares or whatif.present_share is not None),
        warnings=_archived_warnings(members),
        tolerance=workspace.drift_tolerance,
    )
    active = [m for m in members if not m.persona.archived]
    if inputs is None:
        inputs = _read_inputs(workspace, [m.persona_id for m in active], known)
    links = Links(workspace.slug)
    rows = {m.persona_id: _persona_row(m, whatif, plan_share, workspace, links) for m in active}
    view.personas = list(rows.values())
    if not rows:
        view.error = "No persona in this plan: add personas to allocate its effort."
        return LiveAllocation(view, rows, inputs, links, None)
    try:
        if whatif.balance if whatif.balance is not None else plan.balanced:
            _balance(view, rows, inputs)
        result = allocate(
            to_minor(plan.total_effort), [_engine_input(row, inputs) for row in rows.values()]
        )
    except AllocationError as problem:
        view.error = str(problem)
        return LiveAllocation(view, rows, inputs, links, None)
    return LiveAllocation(view, rows, inputs, links, result)


def live_plan_view(live: LiveAllocation) -> PlanView:
    """The view of ``live``, its lines and shares filled in (once per allocation)."""
    view = live.view
    if live.result is not None:
        _fill_from_result(view, live.result, live.rows, live.inputs, live.links)
        _shown_shares(view)
        view.warnings += _gap_warnings(view, live.links)
    return view


@dataclass(frozen=True)
class PlanSizes:
    """How many rows each table of a plan's view holds (``plan_view`` without
    the actuals): its lines, personas, and the channel and experiment tables
    with their total rows."""

    lines: int
    personas: int
    channels: int
    experiments: int


def plan_sizes(plan: Plan) -> PlanSizes:
    """The sizes of ``plan_view(plan)``'s tables without building it: for an
    approved plan, one aggregate over its stored lines; for a draft, its members
    and their inputs read (three queries) and the engine run."""
    return _stored_sizes(plan) if plan.is_frozen else live_sizes(live_allocation(plan))


def live_sizes(live: LiveAllocation) -> PlanSizes:
    result = live.result
    if result is None:
        return PlanSizes(0, len(live.rows), 1, 1)
    experiments = live.inputs.experiments
    loose = any(
        line.kind == LineKind.EXPERIMENT and experiments[line.target].channel_id is None
        for line in result.lines
    )
    extras = loose + bool(result.unassigned) + bool(result.unplaced)
    return PlanSizes(
        lines=len(result.lines),
        personas=len(live.rows),
        channels=len(result.channels) + extras + 1,
        experiments=len(result.experiments) + bool(result.unassigned) + 1,
    )


def _stored_sizes(plan: Plan) -> PlanSizes:
    on_channel = Q(kind=LineKind.CHANNEL) | (Q(kind=LineKind.EXPERIMENT) & ~Q(channel_name=""))
    # A stored persona row is one persona under one name, as _stored_view keys them.
    persona = Concat(Cast("persona_id", CharField()), Value(":"), "persona_name")
    sizes = (
        PlanLine.objects.in_workspace(plan.workspace)
        .filter(plan=plan)
        .aggregate(
            lines=Count("pk"),
            personas=Count(persona, distinct=True),
            channels=Count("channel_name", distinct=True, filter=on_channel),
            experiments=Count("experiment_name", distinct=True, filter=Q(kind=LineKind.EXPERIMENT)),
            loose=Sum("amount", filter=Q(kind=LineKind.EXPERIMENT, channel_name="")),
            unplaced=Sum("amount", filter=Q(kind=LineKind.UNPLACED)),
            unassigned=Sum("amount", filter=Q(kind=LineKind.UNASSIGNED)),
        )
    )
    extras = bool(sizes["loose"]) + bool(sizes["unplaced"]) + bool(sizes["unassigned"])
    return PlanSizes(
        lines=sizes["lines"],
        personas=sizes["personas"],
        channels=sizes["channels"] + extras + 1,
        experiments=sizes["experiments"] + bool(sizes["unassigned"]) + 1,
    )


def _balance(view: PlanView, rows: dict[int, PersonaRow], inputs: _LiveInputs) -> None:
    """The followers' shares that bring the plan to its headline, or why none can."""
    followers = {row.persona_id for row in view.followers}
    found = balance(
        to_minor(view.total),
        [_engine_input(row, inputs) for row in rows.values()],
        view.target_share,
        followers,
    )
    if found.reason:
        view.balance_problem = found.reason
        return
    for key, share in found.shares.items():
        row = rows[key]
        row.exact_share = share
        row.share = (Decimal(share.numerator) / share.denominator).quantize(Decimal("0.01"))
        row.source, row.source_label = RatioSource.BALANCED, RatioSource.BALANCED.label


# --- An approved plan: its stored lines -------------------------------------


class StoredLine(NamedTuple):
    """What a stored line's view reads of it: plain values, not a model instance
    (an approved plan of 300 personas has thousands of lines)."""

    persona_id: int | None
    persona_name: str
    persona_weight: Decimal
    persona_present_share: Decimal
    persona_share_source: str
    bucket: str
    kind: str
    amount: Decimal
    channel_id: int | None
    channel_name: str
    experiment_id: int | None
    experiment_name: str


def stored_lines(plan: Plan) -> list[StoredLine]:
    """The plan's stored lines in their order. One query."""
    rows = (
        PlanLine.objects.filter(workspace=plan.workspace, plan=plan)
        .order_by("position", "pk")
        .values_list(*StoredLine._fields)
    )
    return [StoredLine._make(row) for row in rows]


def _stored_row(line: StoredLine, links: Links) -> PersonaRow:
    return PersonaRow(
        member_id=None,
        persona=None,
        name=line.persona_name,
        weight=line.persona_weight,
        share=line.persona_present_share,
        source=line.persona_share_source,
        source_label=RatioSource(line.persona_share_source).label,
        url=links.persona(line.persona_id),
        persona_id=line.persona_id,
    )


def _rollup(rollups: dict[str, RollupRow], label: str, url: str, key: int | None) -> RollupRow:
    """The roll-up row of a channel or experiment, by name (the stored lines keep names)."""
    rollup = rollups.get(label)
    if rollup is None:
        rollup = rollups[label] = RollupRow(label, Decimal(0), Decimal(0), None, url, key)
    return rollup


class _StoredRollups:
    def __init__(self, links: Links) -> None:
        self.links = links
        self.channels: dict[str, RollupRow] = {}
        self.experiments: dict[str, RollupRow] = {}

    def add(self, line: StoredLine) -> tuple[str, str]:
        """Count the line in its channel and experiment; its label and link."""
        links, amount = self.links, line.amount
        if line.kind == LineKind.CHANNEL:
            url = links.channel(line.channel_id)
            _rollup(self.channels, line.channel_name, url, line.channel_id).present += amount
            return line.channel_name, url
        if line.kind == LineKind.EXPERIMENT:
            url = links.experiment(line.experiment_id)
            _rollup(
                self.experiments, line.experiment_name, url, line.experiment_id
            ).future += amount
            if line.channel_name:
                channel_url = links.channel(line.channel_id)
                _rollup(
                    self.channels, line.channel_name, channel_url, line.channel_id
                ).future += amount
            return line.experiment_name, url
        return GAP_LABELS[LineKind(line.kind)], ""


def _stored_view(plan: Plan) -> PlanView:
    """An approved plan: its stored lines, whatever has changed since."""
    total = plan.total_effort
    view = PlanView(
        plan=plan,
        total=total,
        target_share=plan.effective_present_share,
        stored=True,
        tolerance=plan.workspace.drift_tolerance,
    )
    links = Links(plan.workspace.slug)
    rollups = _StoredRollups(links)
    rows: dict[str, PersonaRow] = {}
    for line in stored_lines(plan):
        name_key = f"{line.persona_id}:{line.persona_name}"
        row = rows.get(name_key) or rows.setdefault(name_key, _stored_row(line, links))
        row.amount += line.amount
        if line.bucket == PRESENT:
            row.present += line.amount
            view.present += line.amount
        else:
            row.future += line.amount
            view.future += line.amount
        label, url = rollups.add(line)
        row.lines.append(
            LineView(
                Bucket(line.bucket), LineKind(line.kind), label, line.amount, None, None,
                url, line.channel_id, line.channel_name, line.experiment_id, line.persona_id,
            )
        )  # fmt: skip
    view.personas = list(rows.values())
    view.channels = _by_total(rollups.channels.values())
    view.experiments = _by_total(rollups.experiments.values())
    _shown_shares(view)
    return view


def choose_plan(workspace: Workspace, requested: str | None) -> tuple[Plan | None, list[Plan]]:
    """The plan asked for (archived or not); else, among the plans not archived,
    the one covering today (approved first), else the latest approved, else the
    latest. One query."""
    plans = list(
        Plan.objects.in_workspace(workspace).select_related("approved_by").order_by("-start", "-pk")
    )
    if requested and requested.isdigit():
        chosen = next((p for p in plans if p.pk == int(requested)), None)
        if chosen is not None:
            return chosen, [p for p in plans if not p.archived or p is chosen]
    plans = [p for p in plans if not p.archived]
    return _pick_plan(plans), plans


def _pick_plan(plans: list[Plan]) -> Plan | None:
    today = timezone.localdate()
    covering = [p for p in plans if p.start <= today <= p.end]
    covering.sort(key=lambda p: (p.status != PlanStatus.APPROVED, -p.start.toordinal()))
    if covering:
        return covering[0]
    approved = [p for p in plans if p.status == PlanStatus.APPROVED]
    if approved:
        return approved[0]
    return plans[0] if plans else None


@dataclass
class PersonaInPlan:
    """A persona's ratio in the plan of the moment, where it comes from, and her
    actual split against it: what her page says beside the ratio on her card."""

    plan: Plan
    share: Decimal
    source: RatioSource
    card_share: int  # the ratio her card shows (her own, or the workspace default)
    drift: Drift | None  # actual against her ratio in the plan, once effort is recorded

    @property
    def ratio(self) -> Split:
        return Split("Her ratio", "her ratio in the plan", self.share)

    @property
    def why(self) -> str:
        """Why the plan's ratio for her is or is not the one on her card."""
        card = f"{self.card_share} / {100 - self.card_share}"
        if self.source == RatioSource.PLAN_PERSONA:
            return f"set for this persona in the plan, in place of the {card} on the card"
        if self.source == RatioSource.PERSONA:
            return "the persona's own ratio, as on the card"
        if self.source == RatioSource.PLAN:
            if int(self.share) == self.card_share:
                return "the plan's ratio, the same as the workspace default on the card"
            return (
                f"the plan's ratio: with no ratio of its own the persona follows each plan's, "
                f"while the card shows the workspace default {card}"
            )
        return "the workspace default, as on the card"


def _plan_of_the_moment(workspace: Workspace) -> Subquery:
    """The plan ``choose_plan`` picks with no plan asked for, as a subquery of its
    pk: covering today (approved first, latest start), else the latest approved,
    else the latest."""
    today = timezone.localdate()
    approved = Q(status=PlanStatus.APPROVED)
    plans = (
        Plan.objects.in_workspace(workspace)
        .filter(archived=False)
        .order_by(
            Case(When(start__lte=today, end__gte=today, then=0), When(approved, then=1), default=2),
            Case(When(approved, then=0), default=1),
            "-start",
            "-pk",
        )
    )
    return Subquery(plans.values("pk")[:1])


def persona_plan_annotations(workspace: Workspace) -> list[dict]:
    """Annotations that read, with the persona herself, the plan of the moment
    and her part in it (no query of their own); applied in this order."""

    def hers(model, field: str, **lookups) -> Subquery:
        rows = model.objects.in_workspace(workspace).filter(
            plan=OuterRef("plan_pk"), persona=OuterRef("pk"), **lookups
        )
        if field == "spent":
            rows = rows.values("plan").annotate(total=Sum("amount"))
            field = "total"
        return Subquery(rows.values(field)[:1])

    plan = Plan.objects.filter(pk=OuterRef("plan_pk"))
    return [
        {"plan_pk": _plan_of_the_moment(workspace)},
        {
            "plan_name": Subquery(plan.values("name")[:1]),
            "plan_status": Subquery(plan.values("status")[:1]),
            "plan_share": Subquery(plan.values("present_share")[:1]),
            "member": hers(PlanPersona, "pk"),
            "member_share": hers(PlanPersona, "present_share_override"),
            "stored_share": hers(PlanLine, "persona_present_share"),
            "stored_source": hers(PlanLine, "persona_share_source"),
            "spent_present": hers(Actual, "spent", channel__isnull=False),
            "spent_future": hers(Actual, "spent", channel__isnull=True),
        },
    ]


def persona_in_plan(persona: Persona) -> PersonaInPlan | None:
    """Her ratio and actual split in the plan the dashboard shows by default, if
    she is in it. Read with her through ``persona_plan_annotations`` (no query),
    else in one query."""
    workspace = persona.workspace
    if not hasattr(persona, "plan_pk"):
        annotated = Persona.objects.filter(pk=persona.pk)
        for step in persona_plan_annotations(workspace):
            annotated = annotated.annotate(**step)
        part = annotated.values(*persona_plan_annotations(workspace)[1], "plan_pk").get()
    else:
        part = {
            name: getattr(persona, name)
            for step in persona_plan_annotations(workspace)
            for name in step
        }
    if part["plan_pk"] is None:
        return None
    plan = Plan(
        pk=part["plan_pk"], workspace=workspace, name=part["plan_name"],
        status=part["plan_status"], present_share=part["plan_share"],
    )  # fmt: skip
    if plan.is_frozen:
        if part["stored_share"] is None:
            return None
        share, source = part["stored_share"], RatioSource(part["stored_source"])
    else:
        if part["member"] is None:
            return None
        resolved, source = resolve_present_share(
            plan_persona=part["member_share"],
            persona=persona.present_share_override,
            plan=plan.present_share,
            workspace=workspace.default_present_share,
        )
        share = Decimal(resolved)
    present, future = part["spent_present"] or Decimal(0), part["spent_future"] or Decimal(0)
    actual = pct(present, present + future)
    ratio = Split("Her ratio", "her ratio in the plan", share)
    drift = (
        None
        if actual is None
        else Drift(Split("Actual", "the actual", actual), ratio, workspace.drift_tolerance)
    )
    return PersonaInPlan(plan, share, source, persona.present_share, drift)


def with_actuals(view: PlanView, totals) -> PlanView:
    """Put the effort recorded against the plan beside the planned figures.

    ``totals`` is an ``ActualTotals``. Lines get the actuals recorded for their
    persona; channel and experiment roll-ups get every actual on them, with a
    persona or not (an experiment's actuals also count for its channel).
    """
    view.actual_present, view.actual_future = totals.present, totals.future
    for row in view.personas:
        if row.persona_id is not None:
            row.actual_present, row.actual_future = totals.by_persona.get(
                row.persona_id, (Decimal(0), Decimal(0))
            )
        actual = row.actual_share
        if actual is not None:
            row.ratio_drift = Drift(
                Split("Actual", "the actual", actual), row.ratio, view.tolerance
            )
        row.line_actuals(totals)
    experiment_channel = view.experiment_channels
    for rollup in view.experiments:
        rollup.actual = totals.by_experiment.get(rollup.key, Decimal(0))
    for rollup in view.channels:
        rollup.actual = totals.by_channel.get(rollup.key, Decimal(0)) + sum(
            (
                amount
                for exp, amount in totals.by_experiment.items()
                if experiment_channel.get(exp) == rollup.key
            ),
            Decimal(0),
        )
    return view


def _put_line_actuals(row: PersonaRow, totals: ActualTotals) -> None:
    """The effort recorded for the row's persona on each of her lines."""
    for line in row.lines:
        if line.kind == LineKind.CHANNEL:
            line.actual = totals.by_line.get(
                (row.persona_id, LineKind.CHANNEL, line.channel_id), Decimal(0)
            )
        elif line.kind == LineKind.EXPERIMENT:
            line.actual = totals.by_line.get(
                (row.persona_id, LineKind.EXPERIMENT, line.experiment_id), Decimal(0)
            )


def next_quarter(today: date) -> tuple[date, date]:
    """The first and last day of the calendar quarter after the one ``today`` is in."""
    quarter = (today.month - 1) // 3 + 1
    year, quarter = (today.year + 1, 1) if quarter == 4 else (today.year, quarter + 1)
    start = date(year, 3 * quarter - 2, 1)
    following = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, following - timedelta(days=1)


def new_plan_defaults(workspace, today: date) -> dict:
    """What a new plan starts with: next quarter, named after it, with the total
    effort of the workspace's latest plan."""
    start, end = next_quarter(today)
    latest = Plan.objects.in_workspace(workspace).order_by("-start", "-pk").first()
    return {
        "name": f"Q{(start.month - 1) // 3 + 1} {start.year}",
        "start": start,
        "end": end,
        "total_effort": latest.total_effort if latest else None,
    }

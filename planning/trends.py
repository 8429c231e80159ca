"""Trends across the workspace's approved plans: is the strategy working?

``compute_trends`` is a pure function of plain values (tested against a small
hand-worked fixture); ``workspace_trends`` reads those values in five queries,
whatever the number of plans, experiments or channel changes.

Approved plans only: their allocation is stored line by line when they are
approved, so what they agreed never moves; a draft's allocation changes with
every edit and is not yet a trend.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import F, Q, Sum, Window
from django.db.models.functions import Lag

from channels.models import ChannelUsage
from experiments.models import Experiment, Outcome, Status
from pacekeeper.charts import LineChart, line_chart, stacked
from pacekeeper.numbers import percentages
from planning.models import Actual, Plan, PlanLine, PlanStatus
from workspaces.models import Workspace

TREND_PLANS = 12  # the latest approved plans the page reads
TREND_QUARTERS = 8  # the latest quarters of experiments and channel moves
TOP_SERIES = 5  # personas and channels named; the rest add up as "Other"
OTHER = "Other"
ZERO = Decimal(0)


# --- Plain values in --------------------------------------------------------


@dataclass(frozen=True)
class PlanFact:
    pk: int
    name: str
    start: date
    headline: int  # the plan's present share, percent
    url: str = ""


@dataclass(frozen=True)
class LineFact:
    plan_id: int
    persona: str
    present: bool  # where they are (True) or where they are going
    channel: str  # "" for effort on no channel
    amount: Decimal


@dataclass(frozen=True)
class ActualFact:
    plan_id: int
    present: Decimal
    future: Decimal


@dataclass(frozen=True)
class ExperimentFact:
    adopted: bool | None  # None: not concluded
    started: date | None
    concluded: date | None
    graduated: date | None


# --- Plain values out -------------------------------------------------------


@dataclass(frozen=True)
class PlanTrend:
    pk: int
    name: str
    start: date
    url: str
    headline_future: int
    allocated_present: Decimal
    allocated_future: Decimal
    actual_present: Decimal
    actual_future: Decimal

    @property
    def allocated_future_share(self) -> Decimal | None:
        return _future_share(self.allocated_present, self.allocated_future)

    @property
    def actual_future_share(self) -> Decimal | None:
        return _future_share(self.actual_present, self.actual_future)


@dataclass(frozen=True)
class Series:
    """Named parts of each plan's effort: ``rows[i]`` holds plan i's amounts and
    percentages, in the order of ``names`` (the top ones, then "Other")."""

    names: list[str]
    amounts: list[list[Decimal]]
    shares: list[list[Decimal | None]]


@dataclass(frozen=True)
class QuarterTrend:
    label: str  # "2026 Q3"
    concluded: int
    adopted: int
    median_days: float | None
    graduations: int
    promotions: int

    @property
    def win_rate(self) -> Decimal | None:
        if not self.concluded:
            return None
        return (Decimal(self.adopted * 100) / self.concluded).quantize(Decimal(1))

    @property
    def moved(self) -> int:
        return self.graduations + self.promotions


@dataclass
class Trends:
    plans: list[PlanTrend]
    personas: Series
    channels: Series
    quarters: list[QuarterTrend] = field(default_factory=list)

    @property
    def persona_rows(self) -> list[tuple[PlanTrend, list[Decimal | None]]]:
        return list(zip(self.plans, self.personas.shares, strict=True))

    @property
    def channel_rows(self) -> list[tuple[PlanTrend, list[Decimal]]]:
        return list(zip(self.plans, self.channels.amounts, strict=True))


def _future_share(present: Decimal, future: Decimal) -> Decimal | None:
    if not present + future:
        return None
    return percentages([present, future], 0)[1]


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _series(plans: list[PlanFact], amounts: dict[tuple[int, str], Decimal], top: int) -> Series:
    """Each plan's amounts by name, the ``top`` names with the most effort over
    all plans shown by name and the rest added up as "Other"."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for (_, name), amount in amounts.items():
        totals[name] += amount
    ranked = sorted(totals, key=lambda name: (-totals[name], name))
    named, rest = ranked[:top], set(ranked[top:])
    names = named + ([OTHER] if rest else [])
    rows, shares = [], []
    for plan in plans:
        row = [amounts.get((plan.pk, name), ZERO) for name in named]
        if rest:
            row.append(sum((amounts.get((plan.pk, name), ZERO) for name in rest), ZERO))
        rows.append(row)
        shares.append(percentages(row, 0) if any(row) else [None] * len(row))
    return Series(names, rows, shares)


def _quarters(
    experiments: list[ExperimentFact], promotions: list[date], limit: int
) -> list[QuarterTrend]:
    """Concluded experiments (win rate, median days from start to conclusion),
    graduations and promotions to core, per calendar quarter: every quarter from
    the first with any of them to the last, at most the latest ``limit``."""
    concluded: dict[tuple[int, int], list[ExperimentFact]] = defaultdict(list)
    graduated: dict[tuple[int, int], int] = defaultdict(int)
    promoted: dict[tuple[int, int], int] = defaultdict(int)
    for e in experiments:
        if e.adopted is not None and e.concluded:
            concluded[quarter_of(e.concluded)].append(e)
        if e.graduated:
            graduated[quarter_of(e.graduated)] += 1
    for day in promotions:
        promoted[quarter_of(day)] += 1
    seen = set(concluded) | set(graduated) | set(promoted)
    if not seen:
        return []
    (year, q), last = min(seen), max(seen)
    keys = []
    while (year, q) <= last:
        keys.append((year, q))
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    out = []
    for key in keys[-limit:]:
        done = concluded.get(key, [])
        days = [(e.concluded - e.started).days for e in done if e.started]
        out.append(
            QuarterTrend(
                f"{key[0]} Q{key[1]}",
                len(done),
                sum(1 for e in done if e.adopted),
                statistics.median(max(0, d) for d in days) if days else None,
                graduated.get(key, 0),
                promoted.get(key, 0),
            )
        )
    return out


def compute_trends(
    plans: list[PlanFact],
    lines: list[LineFact],
    actuals: list[ActualFact],
    experiments: list[ExperimentFact],
    promotions: list[date],
    *,
    top: int = TOP_SERIES,
    quarters: int = TREND_QUARTERS,
) -> Trends:
    """The trends of ``plans`` (oldest first) from their allocated lines and the
    effort recorded against them, and the experiments' and channel moves' per
    quarter."""
    plans = sorted(plans, key=lambda p: (p.start, p.pk))
    allocated: dict[tuple[int, bool], Decimal] = defaultdict(Decimal)
    by_persona: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    by_channel: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for line in lines:
        allocated[(line.plan_id, line.present)] += line.amount
        by_persona[(line.plan_id, line.persona)] += line.amount
        if line.channel:
            by_channel[(line.plan_id, line.channel)] += line.amount
    spent = {a.plan_id: a for a in actuals}
    rows = [
        PlanTrend(
            p.pk,
            p.name,
            p.start,
            p.url,
            100 - p.headline,
            allocated[(p.pk, True)],
            allocated[(p.pk, False)],
            spent[p.pk].present if p.pk in spent else ZERO,
            spent[p.pk].future if p.pk in spent else ZERO,
        )
        for p in plans
    ]
    return Trends(
        rows,
        _series(plans, by_persona, top),
        _series(plans, by_channel, top),
        _quarters(experiments, promotions, quarters),
    )


# --- Reading them -----------------------------------------------------------


def workspace_trends(workspace: Workspace) -> Trends:
    """The workspace's trends: the latest approved plans, their lines and
    actuals, its experiments and its channels promoted to core. Five queries."""
    latest = list(
        Plan.objects.in_workspace(workspace)
        .filter(status=PlanStatus.APPROVED, archived=False)
        .order_by("-start", "-pk")[:TREND_PLANS]
    )
    plans = [
        PlanFact(p.pk, p.name, p.start, p.effective_present_share, p.get_absolute_url())
        for p in latest
    ]
    ids = [p.pk for p in latest]
    lines = [
        LineFact(plan_id, persona, bucket == "present", channel or "", amount)
        for plan_id, persona, bucket, channel, amount in PlanLine.objects.in_workspace(workspace)
        .filter(plan_id__in=ids)
        .values_list("plan_id", "persona_name", "bucket", "channel_name", "amount")
    ]
    actuals = [
        ActualFact(row["plan_id"], row["present"] or ZERO, row["future"] or ZERO)
        for row in Actual.objects.in_workspace(workspace)
        .filter(plan_id__in=ids)
        .values("plan_id")
        .annotate(
            present=Sum("amount", filter=Q(channel__isnull=False)),
            future=Sum("amount", filter=Q(experiment__isnull=False)),
        )
        .order_by()
    ]
    return compute_trends(
        plans, lines, actuals, _experiment_facts(workspace), _promotions(workspace)
    )


def _experiment_facts(workspace: Workspace) -> list[ExperimentFact]:
    rows = (
        Experiment.objects.in_workspace(workspace)
        .filter(Q(status=Status.CONCLUDED) | Q(graduated_at__isnull=False))
        .values_list("status", "outcome", "start_date", "concluded_at", "graduated_at")
    )
    return [
        ExperimentFact(
            outcome == Outcome.ADOPT if status == Status.CONCLUDED else None,
            started,
            concluded.date() if concluded else None,
            graduated.date() if graduated else None,
        )
        for status, outcome, started, concluded, graduated in rows
    ]


def _promotions(workspace: Workspace) -> list[date]:
    """The days a persona's channel went from emerging to core by hand (a
    graduation, which says so in its reason, counts as a graduation instead),
    read from the usages' history in one query."""
    history = ChannelUsage.history.model
    rows = (
        history.objects.filter(workspace_id=workspace.pk)
        .annotate(
            before=Window(Lag("stage"), partition_by=[F("id")], order_by=F("history_id").asc())
        )
        .filter(stage="core", before="emerging")
        .exclude(history_change_reason__startswith="graduated")
        .values_list("history_date", flat=True)
    )
    return [moment.date() for moment in rows]


# --- Drawn ------------------------------------------------------------------


@dataclass(frozen=True)
class StackedRow:
    label: str
    segments: list


@dataclass(frozen=True)
class TrendCharts:
    split: LineChart | None
    personas: list[StackedRow]
    channels: LineChart | None
    win_rate: LineChart | None
    moves: LineChart | None


def trend_charts(trends: Trends) -> TrendCharts:
    """The page's charts: the geometry only, the figures stay in ``trends``."""
    names = [p.name.removesuffix(" plan") for p in trends.plans]
    split = line_chart(
        names,
        [
            ("Headline", "trend-headline", [p.headline_future for p in trends.plans]),
            ("Allocated", "trend-allocated", [p.allocated_future_share for p in trends.plans]),
            ("Actual", "trend-actual", [p.actual_future_share for p in trends.plans]),
        ],
        unit="%",
    )
    personas = [
        StackedRow(
            plan.name.removesuffix(" plan"),
            stacked(
                [
                    (name, float(share or 0), f"trend-{i}")
                    for i, (name, share) in enumerate(
                        zip(trends.personas.names, shares, strict=True)
                    )
                ]
            ),
        )
        for plan, shares in zip(trends.plans, trends.personas.shares, strict=True)
    ]
    channels = line_chart(
        names,
        [
            (name, f"trend-{i}", [row[i] for row in trends.channels.amounts])
            for i, name in enumerate(trends.channels.names)
        ],
    )
    labels = [q.label for q in trends.quarters]
    win_rate = line_chart(
        labels,
        [("Win rate", "trend-0", [q.win_rate for q in trends.quarters])],
        unit="%",
    )
    moves = line_chart(
        labels,
        [
            ("Graduations", "trend-0", [q.graduations for q in trends.quarters]),
            ("Promotions", "trend-1", [q.promotions for q in trends.quarters]),
        ],
    )
    has_plans, has_quarters = bool(trends.plans), bool(trends.quarters)
    return TrendCharts(
        split if has_plans else None,
        personas,
        channels if has_plans and trends.channels.names else None,
        win_rate if has_quarters else None,
        moves if has_quarters else None,
    )

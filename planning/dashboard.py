"""The managers' dashboard: are we keeping the split, where does effort go, what to change.

Everything here is read in a fixed number of queries, whatever the size of the
workspace: the chosen plan's view (with actuals), the active channel usages and
personas once, the experiments pipeline in three aggregate reads.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from channels.models import Trend
from experiments.insights import (
    UsageFact,
    active_usages,
    emerging_over_threshold,
    experiments_meeting_target,
    rising_without_experiment,
)
from experiments.models import Experiment, Outcome, Status
from personas.models import Persona
from planning.actuals import actual_totals
from planning.models import Plan, PlanStatus
from planning.selectors import PlanView, plan_view, with_actuals
from workspaces.models import Workspace

DRIFT_POINTS = 5
# Most pressing first: the split itself, then what is ready to move, then gaps.
SIGNAL_ORDER = [
    "drift",
    "ready",
    "emerging",
    "declining",
    "rising",
    "unassigned",
    "stale-usage",
    "stale-persona",
]
DECLINING_SHARE = 10  # percent of a persona's present part


def choose_plan(workspace: Workspace, requested: str | None) -> tuple[Plan | None, list[Plan]]:
    """The plan asked for; else the one covering today (approved first), else the
    latest approved, else the latest. One query."""
    plans = list(
        Plan.objects.in_workspace(workspace).select_related("approved_by").order_by("-start", "-pk")
    )
    for plan in plans:
        plan.workspace = workspace
    if requested and requested.isdigit():
        chosen = next((p for p in plans if p.pk == int(requested)), None)
        if chosen is not None:
            return chosen, plans
    today = timezone.localdate()
    covering = [p for p in plans if p.start <= today <= p.end]
    covering.sort(key=lambda p: (p.status != PlanStatus.APPROVED, -p.start.toordinal()))
    if covering:
        return covering[0], plans
    approved = [p for p in plans if p.status == PlanStatus.APPROVED]
    if approved:
        return approved[0], plans
    return (plans[0] if plans else None), plans


@dataclass
class Signal:
    kind: str
    text: str
    url: str
    action: str


@dataclass
class ChannelRow:
    label: str
    url: str
    present: Decimal
    future: Decimal
    actual: Decimal | None
    rising: int = 0
    steady: int = 0
    declining: int = 0

    @property
    def total(self) -> Decimal:
        return self.present + self.future


@dataclass
class Pipeline:
    counts: dict[str, int]
    running: list[Experiment]
    concluded: int
    adopted: int
    days_to_learn: list[int] = field(default_factory=list)

    @property
    def win_rate(self) -> float | None:
        return self.adopted * 100 / self.concluded if self.concluded else None

    @property
    def median_days_to_learn(self) -> float | None:
        return statistics.median(self.days_to_learn) if self.days_to_learn else None

    @property
    def statuses(self) -> list[tuple[str, str, int]]:
        return [(s.value, s.label, self.counts.get(s.value, 0)) for s in Status]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Dashboard:
    plan: Plan | None
    plans: list[Plan]
    view: PlanView | None
    channels: list[ChannelRow]
    pipeline: Pipeline
    signals: list[Signal]
    personas: dict[int, Persona]
    counts: dict[str, int]


def pipeline(workspace: Workspace) -> Pipeline:
    experiments = Experiment.objects.in_workspace(workspace)
    counts = dict(experiments.values_list("status").annotate(n=Count("pk")).order_by())
    running = list(
        experiments.filter(status=Status.RUNNING)
        .with_latest_result()
        .select_related("channel")
        .order_by("title")
    )
    for experiment in running:
        experiment.workspace = workspace
    concluded = list(
        experiments.filter(status=Status.CONCLUDED).values_list(
            "outcome", "start_date", "concluded_at"
        )
    )
    days = [max(0, (done.date() - start).days) for _, start, done in concluded if start and done]
    adopted = sum(1 for outcome, _, _ in concluded if outcome == Outcome.ADOPT)
    return Pipeline(counts, running, len(concluded), adopted, days)


def build_dashboard(workspace: Workspace, requested_plan: str | None = None) -> Dashboard:
    plan, plans = choose_plan(workspace, requested_plan)
    view = with_actuals(plan_view(plan), actual_totals(plan)) if plan else None
    usages = active_usages(workspace)
    personas = {
        p.pk: p
        for p in Persona.objects.in_workspace(workspace)
        .filter(archived=False)
        .with_evidence_counts()
        .order_by("name")
    }
    for persona in personas.values():
        persona.workspace = workspace
    channels = _channel_rows(view, usages) if view else []
    signals = _signals(workspace, plan, view, usages, personas)
    counts = {"personas": len(personas), "usages": len(usages), "experiments": 0}
    data = Dashboard(plan, plans, view, channels, pipeline(workspace), signals, personas, counts)
    data.counts["experiments"] = data.pipeline.total
    return data


def _channel_rows(view: PlanView, usages: list[UsageFact]) -> list[ChannelRow]:
    trends: dict[int, Counter] = defaultdict(Counter)
    for usage in usages:
        trends[usage.channel_id][usage.trend] += 1
    rows = []
    for rollup in view.channels:
        counter = trends.get(rollup.key, Counter())
        rows.append(
            ChannelRow(
                rollup.label, rollup.url, rollup.present, rollup.future, rollup.actual,
                counter[Trend.RISING], counter[Trend.STEADY], counter[Trend.DECLINING],
            )
        )  # fmt: skip
    return rows


def _signals(
    workspace: Workspace,
    plan: Plan | None,
    view: PlanView | None,
    usages: list[UsageFact],
    personas: dict[int, Persona],
) -> list[Signal]:
    slug = workspace.slug
    create = reverse("experiments:create", args=[slug])
    out: list[Signal] = []

    for experiment in experiments_meeting_target(workspace):
        out.append(
            Signal(
                "ready",
                f"“{experiment.title}” has reached its target ({experiment.latest_value.normalize():f} against "
                f"{experiment.target.normalize():f}): ready to graduate.",
                experiment.get_absolute_url(),
                "Conclude and graduate",
            )
        )
    for s in emerging_over_threshold(workspace, usages):
        out.append(
            Signal(
                "emerging",
                f"{s.usage.channel.name} already holds {s.percent:.0f}% of {s.usage.persona.name}'s mix but is still "
                "emerging: past the 16% of innovators and early adopters, time to move it into where they are.",
                f"{s.usage.persona.get_absolute_url()}#section-mix",
                "Promote it",
            )
        )
    for s in rising_without_experiment(workspace, usages):
        out.append(
            Signal(
                "rising",
                f"{s.usage.channel.name} is rising for {s.usage.persona.name} and no experiment explores it. "
                "Where are they going?",
                f"{create}?persona={s.usage.persona_id}&channel={s.usage.channel_id}",
                "Start an experiment",
            )
        )
    if view is not None:
        declining = {(u.persona_id, u.channel_id) for u in usages if u.trend == Trend.DECLINING}
        for row in view.personas:
            for line in row.present_lines:
                if (
                    line.kind == "channel"
                    and (row.persona_id, line.channel_id) in declining
                    and row.present
                    and line.amount * 100 > row.present * DECLINING_SHARE
                ):
                    share = line.amount * 100 / row.present
                    out.append(
                        Signal(
                            "declining",
                            f"{line.label} is declining for {row.name} yet takes {share:.0f}% of their present "
                            f"effort in {plan.name}.",
                            f"{row.url}#section-mix" if row.url else plan.get_absolute_url(),
                            "Review the mix",
                        )
                    )
        for row in view.personas:
            for line in row.future_lines:
                if line.kind == "unassigned":
                    out.append(
                        Signal(
                            "unassigned",
                            f"{line.amount:,.2f} {workspace.effort_unit} of {row.name}'s exploration in {plan.name} "
                            "has no experiment.",
                            f"{create}?persona={row.persona_id}" if row.persona_id else create,
                            "Plan an experiment",
                        )
                    )
        if view.drift is not None and abs(view.drift) > DRIFT_POINTS:
            actual = view.actual_share
            out.append(
                Signal(
                    "drift",
                    f"Actual effort in {plan.name} splits {actual:.0f} / {100 - actual:.0f} against a target of "
                    f"{view.target_share} / {100 - view.target_share}: {abs(view.drift):.1f} points off.",
                    plan.get_absolute_url(),
                    "See the plan",
                )
            )
    limit = timedelta(days=workspace.stale_after_days)
    old = timezone.localdate() - limit
    unverified: dict[int, int] = Counter(u.persona_id for u in usages if u.last_verified < old)
    for persona_id, count in unverified.items():
        persona = personas.get(persona_id)
        if persona is not None:
            out.append(
                Signal(
                    "stale-usage",
                    f"{persona.name}: {count} channel{'s' if count != 1 else ''} not verified for "
                    f"{workspace.stale_after_days} days.",
                    f"{persona.get_absolute_url()}#section-mix",
                    "Verify the mix",
                )
            )
    for persona in personas.values():
        if persona.is_stale:
            out.append(
                Signal(
                    "stale-persona",
                    f"{persona.name} has not been reviewed for {workspace.stale_after_days} days.",
                    f"{persona.get_absolute_url()}#section-evidence",
                    "Review the persona",
                )
            )
    return sorted(out, key=lambda signal: SIGNAL_ORDER.index(signal.kind))

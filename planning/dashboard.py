"""The managers' dashboard: are we keeping the split, where does effort go, what to change.

Everything here is read in a fixed number of queries, whatever the size of the
workspace: the chosen plan's view (with actuals), the active channel usages and
personas once, the experiments pipeline in three aggregate reads.
"""

from __future__ import annotations

import hashlib
import inspect
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.urls import reverse
from django.utils import timezone

from channels.models import Trend
from experiments.insights import (
    EARLY_ADOPTERS,
    EMERGING_THRESHOLD,
    INNOVATORS,
    ExperimentFact,
    UsageFact,
    UsagePercents,
    active_usages,
    emerging_over_threshold,
    experiments_meeting_target,
    kept_experiments_and_targets,
    rising_without_experiment,
)
from experiments.models import Outcome, Status
from pacekeeper.routes import url_pattern
from personas.models import Persona, last_review, review_overdue
from planning import pace as pace_model
from planning.actuals import actual_totals
from planning.allocation import LineKind
from planning.models import Plan, SignalDismissal, SignalMode
from planning.selectors import (
    KnownFacts,
    PaceView,
    PlanView,
    choose_plan,
    plan_view,
    with_actuals,
    workspace_pace_view,
)
from workspaces.models import Workspace, adoption_stage_label

DECLINING_SHARE = 10  # percent of a persona's present part
SHOWN_SIGNALS = 7  # the dashboard's card; "show all" lists the rest
SIGNALS_PAGE = 50  # "show all" lists them in pages this long


class SignalKind(StrEnum):
    """What a dashboard signal is about; declared most pressing first: the split
    itself, then what is ready to move, then gaps."""

    DRIFT = "drift"
    PERSONA_DRIFT = "persona-drift"
    READY = "ready"
    EMERGING = "emerging"
    PACE = "pace"
    DECLINING = "declining"
    RISING = "rising"
    UNASSIGNED = "unassigned"
    STALE_USAGE = "stale-usage"
    STALE_PERSONA = "stale-persona"


SIGNAL_ORDER = list(SignalKind)

SIGNAL_TITLES = {
    SignalKind.DRIFT: "Drift beyond tolerance",
    SignalKind.PERSONA_DRIFT: "A persona's drift beyond tolerance",
    SignalKind.READY: "Ready to graduate",
    SignalKind.EMERGING: "Emerging past the adoption point",
    SignalKind.PACE: "Falling behind or running ahead of a persona",
    SignalKind.DECLINING: "Declining, yet much effort",
    SignalKind.RISING: "Rising, and nobody explores it",
    SignalKind.UNASSIGNED: "Exploration without an experiment",
    SignalKind.STALE_USAGE: "Channel data or persona gone stale",
    SignalKind.STALE_PERSONA: "Persona not reviewed",
}


# How long a signal may be set aside, as plain strings (the form lists them on
# every signal shown).
SIGNAL_MODES = [(str(value), str(label)) for value, label in SignalMode.choices]


@dataclass
class Signal:
    kind: SignalKind
    text: str
    url: str
    action: str
    persona_id: int | None = None  # the persona it is about; None for the whole workspace
    persona_name: str = ""
    channel_id: int | None = None  # the channel it is about, for the precedence
    # Names the signal for good (its kind and the objects it is about): a pressing
    # signal is announced once, and a dismissal holds it out of sight.
    key: str = ""
    figures: tuple = ()  # the data it reports; a change wakes a dismissal bound to it

    @cached_property
    def slug(self) -> str:
        """The key as a page's element id: letters, digits and dashes."""
        return re.sub(r"[^a-z0-9]+", "-", self.key.lower()).strip("-")

    @property
    def fingerprint(self) -> str:
        """A digest of the signal's figures (of its sentence when it has none)."""
        data = repr(self.figures) if self.figures else self.text
        return hashlib.sha256(f"{self.key}|{data}".encode()).hexdigest()[:32]


@dataclass
class SetAside:
    """A signal that still fires but is dismissed or snoozed, with its dismissal."""

    signal: Signal
    dismissal: SignalDismissal


@dataclass
class SignalGroup:
    """The shown signals of one persona (or of the whole workspace), with how many
    that persona has in all."""

    name: str
    signals: list[Signal]
    total: int


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
    of_plan: Decimal | None = None
    note: str = ""

    @property
    def total(self) -> Decimal:
        return self.present + self.future


@dataclass
class Pipeline:
    counts: dict[str, int]
    running: list[ExperimentFact]
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
    personas: dict[int, PersonaFact]
    counts: dict[str, int]
    pace: PaceView | None
    show_all: bool = False
    set_aside: list[SetAside] = field(default_factory=list)
    signal_page: str | int | None = 1  # of the pages "show all" lists, as asked

    @property
    def modes(self) -> list[tuple[str, str]]:
        """How long a signal may be set aside, for the dismiss form."""
        return SIGNAL_MODES

    @cached_property
    def signals_page(self) -> Page:
        """The page of all signals asked for (the first for a wrong number, the
        last for one past it)."""
        return Paginator(self.signals, SIGNALS_PAGE).get_page(self.signal_page)

    @property
    def shown_signals(self) -> list[Signal]:
        if not self.show_all:
            return self.signals[:SHOWN_SIGNALS]
        return list(self.signals_page.object_list)

    @property
    def hidden_signals(self) -> int:
        """How many the card leaves for "show all" (none when listing all)."""
        return 0 if self.show_all else len(self.signals) - len(self.shown_signals)

    @property
    def signal_pager(self) -> Page | None:
        """The page of all signals, when they take more than one."""
        page = self.signals_page
        return page if self.show_all and page.has_other_pages() else None

    @property
    def signal_groups(self) -> list[SignalGroup]:
        return group_signals(self.shown_signals, self.signals)

    @property
    def channel_bars(self) -> list[ChannelRow]:
        """The channels themselves, for the chart (not the rows for effort no channel holds)."""
        return [row for row in self.channels if not row.note]


def pipeline(experiments: list[ExperimentFact]) -> Pipeline:
    counts = Counter(e.status for e in experiments)
    running = [e for e in experiments if e.status == Status.RUNNING]
    concluded = [
        (e.outcome, e.start_date, e.concluded_at)
        for e in experiments
        if e.status == Status.CONCLUDED
    ]
    days = [max(0, (done.date() - start).days) for _, start, done in concluded if start and done]
    adopted = sum(1 for outcome, _, _ in concluded if outcome == Outcome.ADOPT)
    return Pipeline(dict(counts), running, len(concluded), adopted, days)


@dataclass(slots=True)
class PersonaFact:
    """What the dashboard and the digest use of an active persona: its name,
    adoption stage, address and last review (plain values: a model instance per
    persona, with all its text, would cost far more). Its staleness follows the
    model's own rule (``review_overdue``)."""

    pk: int
    name: str
    adoption_stage: str
    last_reviewed: datetime
    is_stale: bool
    url: str
    pace_revision: int = 0  # her mark: moved by writes to her or her mix (``workspace_pace_view``)

    def get_absolute_url(self) -> str:
        return self.url

    def get_adoption_stage_display(self) -> str:
        return adoption_stage_label(self.adoption_stage)


def active_personas(workspace: Workspace) -> dict[int, PersonaFact]:
    """The workspace's active personas by name, as plain facts. One query."""
    url = url_pattern("personas:detail", workspace.slug)
    days = workspace.stale_after_days
    rows = (
        Persona.objects.in_workspace(workspace)
        .filter(archived=False)
        .order_by("name")
        .values_list("pk", "name", "adoption_stage", "reviewed_at", "created_at", "pace_revision")
    )
    personas = {}
    for pk, name, stage, reviewed_at, created_at, mix in rows:
        reviewed = last_review(reviewed_at, created_at)
        personas[pk] = PersonaFact(
            pk, name, stage, reviewed, review_overdue(reviewed, days), url(pk), mix
        )
    return personas


@dataclass
class Situation:
    """Where the workspace stands: its current plan against its target, and its signals."""

    plan: Plan | None
    plans: list[Plan]
    view: PlanView | None
    usages: list[UsageFact]
    personas: dict[int, PersonaFact]
    signals: list[Signal]
    pace: PaceView | None = None
    set_aside: list[SetAside] = field(default_factory=list)
    experiments: list[ExperimentFact] = field(default_factory=list)


def situation(
    workspace: Workspace, requested_plan: str | None = None, *, with_pace: bool = True
) -> Situation:
    plan, plans = choose_plan(workspace, requested_plan)
    usages = active_usages(workspace)
    experiments, targets = kept_experiments_and_targets(workspace)
    known = KnownFacts(usages, targets)
    view = with_actuals(plan_view(plan, known=known), actual_totals(plan)) if plan else None
    personas = active_personas(workspace)
    signals = _signals(workspace, plan, view, known, personas, experiments)
    pace = None
    if with_pace:  # one query, none while the pace is kept; pages without its card skip it
        names = {pk: p.name for pk, p in personas.items()}
        marks = {pk: p.pace_revision for pk, p in personas.items()}
        pace = workspace_pace_view(workspace, names, marks)
        signals += _pace_signals(pace)
    signals = sorted(signals, key=lambda signal: SIGNAL_ORDER.index(signal.kind))
    signals, set_aside = split_dismissed(workspace, signals)
    return Situation(plan, plans, view, usages, personas, signals, pace, set_aside, experiments)


def split_dismissed(
    workspace: Workspace, signals: list[Signal], now: datetime | None = None
) -> tuple[list[Signal], list[SetAside]]:
    """The signals to show, and those a dismissal still holds out of sight (a
    snooze past its day or a changed fingerprint lets a signal back): one query,
    none when the workspace has set no signal aside."""
    if not workspace.signals_set_aside:
        return signals, []
    now = now or timezone.now()
    dismissals = {
        d.key: d
        for d in SignalDismissal.objects.in_workspace(workspace)
        .filter(key__in=[s.key for s in signals if s.key])
        .select_related("by")
    }
    shown, set_aside = [], []
    for signal in signals:
        dismissal = dismissals.get(signal.key)
        if dismissal is not None and dismissal.holds(signal.fingerprint, now):
            set_aside.append(SetAside(signal, dismissal))
        else:
            shown.append(signal)
    return shown, set_aside


def build_dashboard(
    workspace: Workspace,
    requested_plan: str | None = None,
    *,
    show_all: bool = False,
    with_pace: bool = True,
    signal_page: str | int | None = 1,
) -> Dashboard:
    now = situation(workspace, requested_plan, with_pace=with_pace)
    channels = _channel_rows(now.view, now.usages) if now.view else []
    counts = {"personas": len(now.personas), "usages": len(now.usages), "experiments": 0}
    data = Dashboard(
        now.plan, now.plans, now.view, channels, pipeline(now.experiments), now.signals,
        now.personas, counts, now.pace, show_all, now.set_aside, signal_page,
    )  # fmt: skip
    data.counts["experiments"] = data.pipeline.total
    return data


def _channel_rows(view: PlanView, usages: list[UsageFact]) -> list[ChannelRow]:
    trends: dict[int, Counter] = defaultdict(Counter)
    for usage in usages:
        trends[usage.channel_id][usage.trend] += 1
    rows = []
    for rollup in view.channel_table.rows:
        counter = Counter() if rollup.note else trends.get(rollup.key, Counter())
        rows.append(
            ChannelRow(
                rollup.label, rollup.url, rollup.present, rollup.future, rollup.actual,
                counter[Trend.RISING], counter[Trend.STEADY], counter[Trend.DECLINING],
                rollup.of_plan, rollup.note,
            )
        )  # fmt: skip
    return rows


def _ready_signals(workspace: Workspace, experiments: list[ExperimentFact]) -> list[Signal]:
    """A running experiment whose latest result meets its target, in the direction
    its metric counts as better: conclude it and graduate its channel."""
    return [
        Signal(
            SignalKind.READY,
            f"“{e.title}” has reached its target ({e.latest_value.normalize():f} against "
            f"{e.target.normalize():f}): ready to graduate.",
            e.get_absolute_url(),
            "Conclude and graduate",
            channel_id=e.channel_id,
            key=f"ready:experiment:{e.pk}",
            figures=(e.latest_value, e.target),
        )
        for e in experiments_meeting_target(workspace, experiments)
    ]


def _emerging_signals(
    workspace: Workspace, usages: list[UsageFact], percents: UsagePercents | None = None
) -> list[Signal]:
    """An emerging channel that already holds {threshold}% or more of a persona's mix.
    In the diffusion-of-innovations curve the innovators ({innovators}%) and the early
    adopters ({early_adopters}%) together are the first {threshold}% to take something
    up; past that point the channel is where the persona is, and belongs among its
    core channels."""
    return [
        Signal(
            SignalKind.EMERGING,
            f"{s.usage.channel.name} already holds {s.percent:.0f}% of {s.usage.persona.name}'s mix but is still "
            f"emerging: past the {EMERGING_THRESHOLD.normalize():f}% of innovators and early adopters, time to move it "
            "into where they are.",
            f"{s.usage.persona.get_absolute_url()}#section-mix",
            "Promote it",
            s.usage.persona_id,
            s.usage.persona.name,
            s.usage.channel_id,
            key=f"emerging:persona:{s.usage.persona_id}:channel:{s.usage.channel_id}",
            figures=(s.usage.share, s.usage.stage),
        )
        for s in emerging_over_threshold(workspace, usages, percents=percents)
    ]


def _rising_signals(
    workspace: Workspace, known: KnownFacts, create: str, percents: UsagePercents | None = None
) -> list[Signal]:
    """A channel rising for a persona that is not core for them and that no
    experiment explores: none planned, running or concluded as adopted, and none
    graduated. A channel promoted to core is explored by then, so it never fires;
    an idea on the board does not count yet."""
    return [
        Signal(
            SignalKind.RISING,
            f"{s.usage.channel.name} is rising for {s.usage.persona.name} and no experiment explores it. "
            "Where are they going?",
            f"{create}?persona={s.usage.persona_id}&channel={s.usage.channel_id}",
            "Start an experiment",
            s.usage.persona_id,
            s.usage.persona.name,
            s.usage.channel_id,
            key=f"rising:persona:{s.usage.persona_id}:channel:{s.usage.channel_id}",
            figures=(s.usage.trend, s.usage.stage),
        )
        for s in rising_without_experiment(
            workspace, known.usages, known.targets, percents=percents
        )
    ]


def _declining_signals(plan: Plan, view: PlanView, usages: list[UsageFact]) -> list[Signal]:
    """A channel declining for a persona that still takes more than {declining}% of
    that persona's present effort in the plan: review the mix."""
    declining: dict[int, set[int]] = defaultdict(set)  # persona: her declining channels
    for u in usages:
        if u.trend == Trend.DECLINING:
            declining[u.persona_id].add(u.channel_id)
    # Only their lines on those channels are read.
    return [
        Signal(
            SignalKind.DECLINING,
            f"{label} is declining for {row.name} yet takes {amount * 100 / row.present:.0f}% "
            f"of their present effort in {plan.name}.",
            f"{row.url}#section-mix" if row.url else plan.get_absolute_url(),
            "Review the mix",
            row.persona_id,
            row.name,
            channel_id,
            key=f"declining:plan:{plan.pk}:persona:{row.persona_id}:channel:{channel_id}",
            figures=(amount, row.present),
        )
        for row in view.personas
        if row.persona_id in declining and row.present
        for channel_id, label, amount in row.channel_lines(declining[row.persona_id])
        if amount * 100 > row.present * DECLINING_SHARE
    ]


def _unassigned_signals(
    workspace: Workspace, plan: Plan, view: PlanView, create: str
) -> list[Signal]:
    """Effort the plan sets aside for a persona's exploration (the future part)
    that no experiment takes up yet."""
    return [
        Signal(
            SignalKind.UNASSIGNED,
            f"{amount:,.2f} {workspace.effort_unit} of {row.name}'s exploration in {plan.name} "
            "has no experiment.",
            f"{create}?persona={row.persona_id}" if row.persona_id else create,
            "Plan an experiment",
            row.persona_id,
            row.name,
            key=f"unassigned:plan:{plan.pk}:persona:{row.persona_id or row.name}",
            figures=(amount,),
        )
        for row in view.personas
        if (amount := row.gaps.get(LineKind.UNASSIGNED)) is not None
    ]


def _drift_signals(plan: Plan, view: PlanView) -> list[Signal]:
    """The plan's present / future split compared three ways (allocated against
    the headline, actual against the allocated, actual against the headline), each
    off by more than the plan's tolerance; then each persona whose actual split is
    off their own ratio by more than the tolerance."""
    beyond = f"beyond the {view.tolerance}-point tolerance"
    out = [
        Signal(SignalKind.DRIFT, f"{plan.name}: {drift.sentence}, {beyond}.", plan.get_absolute_url(), "See the plan", key=f"drift:plan:{plan.pk}:{drift.measured.subject}:{drift.against.subject}".lower(), figures=(drift.sentence,))
        for drift in view.drifts
        if drift.off
    ]  # fmt: skip
    for row in view.personas:
        drift = row.off_ratio
        if drift is not None:
            out.append(
                Signal(
                    SignalKind.PERSONA_DRIFT,
                    f"{row.name} in {plan.name}: {drift.sentence}, {beyond}.",
                    row.url or plan.get_absolute_url(),
                    "See the persona" if row.url else "See the plan",
                    row.persona_id,
                    row.name,
                    key=f"drift:persona:{plan.pk}:{row.persona_id or row.name}",
                    figures=(drift.sentence,),
                )
            )
    return out


def _pace_signals(pace: PaceView) -> list[Signal]:
    """A persona whose effort on where they are going moved, over the last two
    quarters, more than the workspace's pace tolerance less than their audience did
    (falling behind) or more (running ahead). How pace is measured is explained below;
    each signal links to the move it suggests: a channel to promote, an experiment to
    start, or the persona's ratio in the next plan."""
    out = []
    for persona in pace.pace.most_out_of_pace:
        action = pace.action(persona)
        out.append(
            Signal(
                SignalKind.PACE,
                f"{persona.state.label}: {persona.sentence}",
                action.url if action else pace.url(persona),
                action.label if action else "See the persona",
                persona.key,
                persona.name,
                key=f"pace:persona:{persona.key}:{persona.state}",
                figures=(persona.audience_moved, persona.effort_moved),
            )
        )
    return out


def _stale_signals(
    workspace: Workspace, usages: list[UsageFact], personas: dict[int, PersonaFact]
) -> list[Signal]:
    """Channel data of a persona not verified, or a persona not reviewed, for
    longer than the workspace's freshness setting (in days)."""
    days = workspace.stale_after_days
    old = timezone.localdate() - timedelta(days=days)
    unverified: dict[int, int] = Counter(u.persona_id for u in usages if u.last_verified < old)
    out = [
        Signal(
            SignalKind.STALE_USAGE,
            f"{personas[pk].name}: {count} channel{'s' if count != 1 else ''} not verified for {days} days.",
            f"{personas[pk].get_absolute_url()}#section-mix",
            "Verify the mix",
            pk,
            personas[pk].name,
            key=f"stale-usage:persona:{pk}",
            figures=(count,),
        )
        for pk, count in unverified.items()
        if pk in personas
    ]
    out += [
        Signal(
            SignalKind.STALE_PERSONA,
            f"{persona.name} has not been reviewed for {days} days.",
            f"{persona.get_absolute_url()}#section-evidence",
            "Review the persona",
            persona.pk,
            persona.name,
            key=f"stale-persona:persona:{persona.pk}",
            figures=(persona.last_reviewed,),
        )
        for persona in personas.values()
        if persona.is_stale
    ]
    return out


def _signals(
    workspace: Workspace,
    plan: Plan | None,
    view: PlanView | None,
    known: KnownFacts,
    personas: dict[int, PersonaFact],
    experiments: list[ExperimentFact],
) -> list[Signal]:
    create = reverse("experiments:create", args=[workspace.slug])
    usages = known.usages
    percents = UsagePercents(usages)
    out = [
        *_ready_signals(workspace, experiments),
        *_emerging_signals(workspace, usages, percents),
        *_rising_signals(workspace, known, create, percents),
    ]
    if view is not None:
        out += _declining_signals(plan, view, usages)
        out += _unassigned_signals(workspace, plan, view, create)
        out += _drift_signals(plan, view)
    out += _stale_signals(workspace, usages, personas)
    return without_contradictions(sorted(out, key=lambda signal: SIGNAL_ORDER.index(signal.kind)))


def without_contradictions(ranked: list[Signal]) -> list[Signal]:
    """One suggestion per persona and channel: when two signals name the same
    persona and channel, the more pressing kind (earlier in ``SignalKind``) wins, so
    "promote it" (emerging) silences "start an experiment" (rising) and "review
    the mix" (declining)."""
    seen: set[tuple[int, int]] = set()
    out = []
    for signal in ranked:
        if signal.persona_id is not None and signal.channel_id is not None:
            key = (signal.persona_id, signal.channel_id)
            if key in seen:
                continue
            seen.add(key)
        out.append(signal)
    return out


def group_signals(shown: list[Signal], every: list[Signal]) -> list[SignalGroup]:
    """The shown signals grouped by persona, the group of the most pressing signal
    first; signals about the whole workspace form a group of their own."""
    totals = Counter(signal.persona_id for signal in every)
    groups: dict[int | None, SignalGroup] = {}
    for signal in shown:
        group = groups.get(signal.persona_id)
        if group is None:
            name = signal.persona_name or "Whole workspace"
            group = groups[signal.persona_id] = SignalGroup(name, [], totals[signal.persona_id])
        group.signals.append(signal)
    return list(groups.values())


# The rules in the order they rank, each written down once: in its step's docstring.
SIGNAL_RULES = {
    SignalKind.DRIFT: _drift_signals,
    SignalKind.PERSONA_DRIFT: _drift_signals,
    SignalKind.READY: _ready_signals,
    SignalKind.EMERGING: _emerging_signals,
    SignalKind.PACE: _pace_signals,
    SignalKind.DECLINING: _declining_signals,
    SignalKind.RISING: _rising_signals,
    SignalKind.UNASSIGNED: _unassigned_signals,
    SignalKind.STALE_USAGE: _stale_signals,
    SignalKind.STALE_PERSONA: _stale_signals,
}


@dataclass(frozen=True)
class Rule:
    kind: SignalKind
    title: str
    text: str


def signal_rules() -> list[Rule]:
    """Every rule as the help page explains it, read from the steps' docstrings with
    the figures they apply (the thresholds are constants, named once)."""
    figures = {
        "threshold": f"{EMERGING_THRESHOLD.normalize():f}",
        "innovators": f"{INNOVATORS.normalize():f}",
        "early_adopters": f"{EARLY_ADOPTERS.normalize():f}",
        "declining": DECLINING_SHARE,
    }
    rules, seen = [], set()
    for kind, step in SIGNAL_RULES.items():
        if step in seen:
            continue
        seen.add(step)
        text = " ".join(inspect.cleandoc(step.__doc__ or "").split())
        rules.append(Rule(kind, SIGNAL_TITLES[kind], text.format(**figures)))
    return rules


@dataclass(frozen=True)
class Formula:
    """How pace is measured, as the help page shows it: read from the model's docstring."""

    intro: str
    steps: list[str]
    thin: str


def pace_formula() -> Formula:
    """The pace model's definitions, each numbered step one paragraph, written
    once in ``planning.pace``."""
    text = inspect.cleandoc(pace_model.__doc__ or "")
    paragraphs = [
        " ".join(p.split()).replace("**", "").replace("*", "") for p in text.split("\n\n")
    ]
    steps = [
        re.sub(r"^\d\. ", "", part).replace(", ``WINDOW``", "")
        for paragraph in paragraphs
        for part in re.split(r" (?=\d\. )", paragraph)
        if re.match(r"\d\. ", part)
    ]
    intro = next(p for p in paragraphs if p.startswith("This is"))
    thin = next(p for p in paragraphs if p.startswith("When the data"))
    return Formula(intro, steps, thin.replace("``", ""))

"""Signals about where personas are going, for the board and the dashboard.

- experiments whose latest result meets the target ("ready to graduate");
- channels rising for a persona with no experiment on them ("where they're going?");
- emerging channels that hold 16% or more of a persona's mix: innovators plus early
  adopters make 16% of the adoption curve, the point to move a channel into
  "where they are".

Each function runs a fixed number of queries whatever the workspace's size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from django.db.models import OuterRef, Q, Subquery

from channels.models import Channel, ChannelUsage, Stage, Trend
from channels.selectors import percent_of
from experiments.models import (
    Experiment,
    ExperimentResult,
    ExperimentTarget,
    Outcome,
    Status,
    effective_weight,
    meets_target,
    progress_to_target,
)
from pacekeeper.aggregates import JoinedIds, split_ids
from pacekeeper.routes import url_pattern
from workspaces.models import Workspace
from workspaces.revision import cached_value

# The diffusion-of-innovations curve: innovators and early adopters together are
# the first 16% to take a channel up; past that point it is where people are.
INNOVATORS = Decimal("2.5")
EARLY_ADOPTERS = Decimal("13.5")
EMERGING_THRESHOLD = INNOVATORS + EARLY_ADOPTERS
# Experiments that explore their channel: under way, or concluded and adopted.
EXPLORING = (Status.PLANNED, Status.RUNNING)


def experiments_meeting_target(
    workspace: Workspace, experiments: list[ExperimentFact] | None = None
) -> list[Experiment] | list[ExperimentFact]:
    """Running experiments whose latest result meets the target, in the metric's
    direction. ``experiments``: the workspace's experiments already read with
    their latest result (``experiments_and_targets``), when the caller has them."""
    if experiments is None:
        experiments = list(
            Experiment.objects.in_workspace(workspace)
            .filter(status=Status.RUNNING, archived=False)
            .with_latest_result()
            .select_related("channel")
            .order_by("title")
        )
    return [
        e
        for e in experiments
        if e.status == Status.RUNNING
        and not e.archived
        and e.latest_value is not None
        and meets_target(e.latest_value, e.target, e.higher_is_better)
    ]


@dataclass(slots=True)
class Ref:
    """A persona or channel as signals name and link it."""

    pk: int
    name: str
    url: str = ""

    def get_absolute_url(self) -> str:
        return self.url


@dataclass(slots=True)
class UsageFact:
    """What the signals need of a channel usage (plain values: a large workspace
    has thousands of usages, and model instances would cost far more)."""

    persona: Ref
    channel: Ref
    share: Decimal
    stage: str
    trend: str
    last_verified: date

    @property
    def persona_id(self) -> int:
        return self.persona.pk

    @property
    def channel_id(self) -> int:
        return self.channel.pk


@dataclass(frozen=True)
class UsageSignal:
    usage: UsageFact
    percent: Decimal | None


def active_usages(workspace: Workspace) -> list[UsageFact]:
    """Every channel usage of the active personas, as plain facts. One query."""
    personas: dict[int, Ref] = {}
    channels: dict[int, Ref] = {}
    facts = []
    persona_url = url_pattern("personas:detail", workspace.slug)
    rows = (
        ChannelUsage.objects.in_workspace(workspace)
        .filter(persona__archived=False, archived=False, channel__archived=False)
        .order_by("persona__name", "channel__name")
        .values_list(
            "persona_id",
            "persona__name",
            "channel_id",
            "channel__name",
            "share",
            "stage",
            "trend",
            "last_verified",
        )
    )
    for persona_id, persona_name, channel_id, channel_name, share, stage, trend, verified in rows:
        persona = personas.get(persona_id)
        if persona is None:
            url = persona_url(persona_id)
            persona = personas[persona_id] = Ref(persona_id, persona_name, url)
        channel = channels.get(channel_id) or channels.setdefault(
            channel_id, Ref(channel_id, channel_name)
        )
        facts.append(UsageFact(persona, channel, share, stage, trend, verified))
    return facts


class UsagePercents:
    """Each usage's percent of its persona's mix, by (persona, channel), as
    ``normalised`` works it out: each persona's total added once, a percent
    divided out only when asked (the signals ask for the emerging and rising
    usages, not the core ones). Read once by a page that shows both the emerging
    and the rising signals."""

    def __init__(self, usages: list[UsageFact]) -> None:
        shares: dict[int, dict[int, Decimal]] = defaultdict(dict)
        for usage in usages:
            shares[usage.persona.pk][usage.channel.pk] = usage.share
        self._shares = shares
        self._totals = {pk: sum(mix.values(), Decimal(0)) for pk, mix in shares.items()}

    def __getitem__(self, key: tuple[int, int]) -> Decimal | None:
        persona_id, channel_id = key
        return percent_of(self._shares[persona_id][channel_id], self._totals[persona_id])


def _explored(prefix: str = "experiment__") -> Q:
    """Experiments that explore something for the personas they target: planned
    or running (archived or not), concluded and adopted, or graduated (a
    target's, or with no ``prefix`` an experiment's)."""
    return (
        Q(**{f"{prefix}status__in": EXPLORING})
        | Q(**{f"{prefix}status": Status.CONCLUDED, f"{prefix}outcome": Outcome.ADOPT})
        | Q(**{f"{prefix}graduated_at__isnull": False})
    )


def explored_pairs(workspace: Workspace) -> set[tuple[int, int]]:
    """(persona, channel) of every target of an exploring experiment whose
    experiment has a channel, as plain values. One query."""
    return set(
        ExperimentTarget.objects.in_workspace(workspace)
        .filter(_explored(), experiment__channel__isnull=False)
        .values_list("persona_id", "experiment__channel_id")
    )


def _explores(experiment: ExperimentFact) -> bool:
    """As ``_explored`` reads it: under way, adopted, or graduated."""
    return (
        experiment.status in EXPLORING
        or (experiment.status == Status.CONCLUDED and experiment.outcome == Outcome.ADOPT)
        or experiment.graduated_at is not None
    )


@dataclass(slots=True)
class ExperimentFact:
    """What the dashboard and a live plan use of an experiment, with its latest
    result (plain values: a large workspace has hundreds of experiments, and a
    model instance each, with its channel's, would cost far more). Its target,
    progress and weight follow the model's own rules (``meets_target``,
    ``progress_to_target``, ``effective_weight``)."""

    pk: int
    title: str
    channel: Ref | None
    status: str
    outcome: str
    start_date: date | None
    concluded_at: datetime | None
    graduated_at: datetime | None
    archived: bool
    baseline: Decimal
    target: Decimal
    higher_is_better: bool
    weight: Decimal | None
    impact: int
    confidence: int
    ease: int
    latest_value: Decimal | None
    url: str

    @property
    def channel_id(self) -> int | None:
        return self.channel.pk if self.channel is not None else None

    def get_absolute_url(self) -> str:
        return self.url

    @property
    def target_met(self) -> bool:
        return meets_target(self.latest_value, self.target, self.higher_is_better)

    @property
    def progress(self) -> Decimal | None:
        return progress_to_target(self.latest_value, self.baseline, self.target)

    @property
    def effective_weight(self) -> Decimal:
        return effective_weight(self.weight, self.impact, self.confidence, self.ease)


class Target(NamedTuple):
    """A persona an experiment targets, as ``experiments_and_targets`` reads it:
    read like an ``ExperimentTarget`` (``persona_id``, ``experiment``,
    ``experiment_id``), without building one per target."""

    persona_id: int
    experiment: ExperimentFact

    @property
    def experiment_id(self) -> int:
        return self.experiment.pk


def experiments_and_targets(
    workspace: Workspace,
) -> tuple[list[ExperimentFact], list[Target]]:
    """In one query: the workspace's experiments not archived, each with its
    latest result and channel, by title (``with_latest_result``), as plain
    facts; and the personas targeted by the experiments that explore
    (``_explored``, archived or not), built from the same rows (archived
    experiments that explore are read for their targets alone)."""
    target_ids = (
        ExperimentTarget.objects.filter(experiment=OuterRef("pk"))
        .order_by()
        .values("experiment")
        .annotate(ids=JoinedIds("persona_id"))
        .values("ids")
    )
    rows = (
        Experiment.objects.in_workspace(workspace)
        .filter(Q(archived=False) | _explored(prefix=""))
        .with_latest_result()
        .annotate(target_ids=Subquery(target_ids))
        .order_by("title", "pk")
        .values_list(
            "pk", "title", "channel_id", "channel__name", "status", "outcome", "start_date",
            "concluded_at", "graduated_at", "archived", "baseline", "target",
            "higher_is_better", "weight", "impact", "confidence", "ease", "latest_value",
            "target_ids",
        )
    )  # fmt: skip
    url = url_pattern("experiments:detail", workspace.slug)
    channels: dict[int, Ref] = {}
    experiments, targets = [], []
    for pk, title, channel_id, channel_name, *facts, joined in rows:
        channel = None
        if channel_id is not None:
            channel = channels.get(channel_id) or channels.setdefault(
                channel_id, Ref(channel_id, channel_name)
            )
        experiment = ExperimentFact(pk, title, channel, *facts, url(pk))
        if not experiment.archived:
            experiments.append(experiment)
        if _explores(experiment):
            targets.extend(Target(persona_id, experiment) for persona_id in split_ids(joined))
    return experiments, targets


# Every kind of row ``experiments_and_targets`` reads (the workspace: its addresses).
EXPERIMENT_READS = (Workspace, Experiment, ExperimentResult, ExperimentTarget, Channel)


def kept_experiments_and_targets(
    workspace: Workspace,
) -> tuple[list[ExperimentFact], list[Target]]:
    """``experiments_and_targets``, kept in the cache until a write to a kind of
    row it reads (``EXPERIMENT_READS``): a persona, a plan or a mix leave it."""
    return cached_value(
        workspace,
        "experiments-and-targets",
        lambda: experiments_and_targets(workspace),
        reads=EXPERIMENT_READS,
    )


def rising_without_experiment(
    workspace: Workspace,
    usages: list[ChannelUsage] | None = None,
    targets: list[Target] | None = None,
    percents: UsagePercents | None = None,
) -> list[UsageSignal]:
    """Rising channels of active personas that are not core for that persona and
    that no experiment explores for them. A channel counts as explored by a
    planned or running experiment, or a concluded one that was adopted or
    graduated (a promoted channel is core, so it never fires). An idea alone
    does not count: nobody is exploring it yet. ``targets`` may be passed when
    the caller already read ``experiments_and_targets``, and ``percents``
    (``UsagePercents``) when it read them."""
    usages = active_usages(workspace) if usages is None else usages
    if targets is None:
        covered = explored_pairs(workspace)
    else:
        covered = {
            (target.persona_id, target.experiment.channel_id)
            for target in targets
            if target.experiment.channel_id is not None
        }
    percents = UsagePercents(usages) if percents is None else percents
    return [
        UsageSignal(u, percents[(u.persona_id, u.channel_id)])
        for u in usages
        if u.trend == Trend.RISING
        and u.stage != Stage.CORE
        and (u.persona_id, u.channel_id) not in covered
    ]


def emerging_over_threshold(
    workspace: Workspace,
    usages: list[ChannelUsage] | None = None,
    threshold: Decimal = EMERGING_THRESHOLD,
    percents: UsagePercents | None = None,
) -> list[UsageSignal]:
    """Emerging channels already holding ``threshold`` percent or more of a persona's mix."""
    usages = active_usages(workspace) if usages is None else usages
    percents = UsagePercents(usages) if percents is None else percents
    signals = []
    for u in usages:
        if u.stage != Stage.EMERGING:
            continue
        percent = percents[(u.persona.pk, u.channel.pk)]
        if percent is not None and percent >= threshold:
            signals.append(UsageSignal(u, percent))
    return signals

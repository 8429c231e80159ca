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
from decimal import Decimal

from channels.models import ChannelUsage, Stage, Trend
from channels.selectors import normalised
from experiments.models import Experiment, ExperimentTarget, Status, meets_target
from workspaces.models import Workspace

EMERGING_THRESHOLD = Decimal(16)
OPEN = (Status.IDEA, Status.PLANNED, Status.RUNNING)


def experiments_meeting_target(workspace: Workspace) -> list[Experiment]:
    """Running experiments whose latest result meets the target, in the metric's direction."""
    experiments = (
        Experiment.objects.in_workspace(workspace)
        .filter(status=Status.RUNNING)
        .with_latest_result()
        .filter(latest_value__isnull=False)
        .select_related("channel")
        .order_by("title")
    )
    ready = [e for e in experiments if meets_target(e.latest_value, e.target, e.higher_is_better)]
    for experiment in ready:
        experiment.workspace = workspace
    return ready


@dataclass(frozen=True)
class UsageSignal:
    usage: ChannelUsage
    percent: Decimal | None


def active_usages(workspace: Workspace) -> list[ChannelUsage]:
    usages = list(
        ChannelUsage.objects.in_workspace(workspace)
        .filter(persona__archived=False)
        .select_related("persona", "channel")
        .order_by("persona__name", "channel__name")
    )
    for usage in usages:
        usage.workspace = usage.persona.workspace = usage.channel.workspace = workspace
    return usages


def _percents(usages: list[ChannelUsage]) -> dict[int, Decimal | None]:
    by_persona: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for usage in usages:
        by_persona[usage.persona_id][usage.pk] = usage.share
    out: dict[int, Decimal | None] = {}
    for shares in by_persona.values():
        out |= normalised(shares)
    return out


def rising_without_experiment(
    workspace: Workspace, usages: list[ChannelUsage] | None = None
) -> list[UsageSignal]:
    """Rising channels of active personas that no open experiment targets."""
    usages = active_usages(workspace) if usages is None else usages
    covered = set(
        ExperimentTarget.objects.in_workspace(workspace)
        .filter(experiment__status__in=OPEN, experiment__channel__isnull=False)
        .values_list("persona_id", "experiment__channel_id")
    )
    percents = _percents(usages)
    return [
        UsageSignal(u, percents[u.pk])
        for u in usages
        if u.trend == Trend.RISING and (u.persona_id, u.channel_id) not in covered
    ]


def emerging_over_threshold(
    workspace: Workspace,
    usages: list[ChannelUsage] | None = None,
    threshold: Decimal = EMERGING_THRESHOLD,
) -> list[UsageSignal]:
    """Emerging channels already holding ``threshold`` percent or more of a persona's mix."""
    usages = active_usages(workspace) if usages is None else usages
    percents = _percents(usages)
    return [
        UsageSignal(u, percents[u.pk])
        for u in usages
        if u.stage == Stage.EMERGING and percents[u.pk] is not None and percents[u.pk] >= threshold
    ]

"""Read-side helpers: a persona's channel mix, the catalog with its usage figures."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from channels.models import Channel, ChannelUsage, Stage, UsageObservation
from pacekeeper.charts import Segment, Sparkline, sparkline, stacked
from pacekeeper.numbers import percentages
from personas.models import Persona
from workspaces.models import Workspace

HUNDRED = Decimal(100)


def percent_of(share: Decimal, total: Decimal) -> Decimal | None:
    """``share`` in percent of ``total``; None when the total is 0."""
    return None if total <= 0 else share * HUNDRED / total


def normalised(shares: dict[int, Decimal]) -> dict[int, Decimal | None]:
    """Each key's share of the total, in percent; None for all when the total is 0."""
    total = sum(shares.values(), Decimal(0))
    return {key: percent_of(share, total) for key, share in shares.items()}


@dataclass
class MixRow:
    usage: ChannelUsage
    percent: Decimal | None
    stale: bool
    history: list[tuple[date, Decimal]] = field(default_factory=list)
    error: str = ""  # a refused quick edit, shown beside the row…
    attempted: str | None = None  # …with the value the user typed, kept in the input

    @property
    def spark(self) -> Sparkline | None:
        return sparkline([share for _, share in self.history]) if len(self.history) > 1 else None


@dataclass
class PersonaMix:
    persona: Persona
    core: list[MixRow]
    emerging: list[MixRow]
    total_share: Decimal
    segments: list[Segment]
    archived: list[ChannelUsage] = field(default_factory=list)  # out of the mix, restorable

    @property
    def rows(self) -> list[MixRow]:
        return self.core + self.emerging

    @property
    def groups(self) -> list[tuple[str, list[MixRow]]]:
        return [("core", self.core), ("emerging", self.emerging)]

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def all_zero(self) -> bool:
        return bool(self.rows) and self.total_share <= 0

    @property
    def shown_split(self) -> list[Decimal | None]:
        """Core and emerging as whole percentages that add to 100."""
        return percentages([self.core_percent, self.emerging_percent], 0)

    @property
    def core_percent(self) -> Decimal:
        return sum((r.percent or 0 for r in self.core), Decimal(0))

    @property
    def emerging_percent(self) -> Decimal:
        return sum((r.percent or 0 for r in self.emerging), Decimal(0))


def persona_mix(
    persona: Persona, workspace: Workspace, observations: list[tuple] | None = None
) -> PersonaMix:
    """The persona's channel mix, normalised, with each row's share over time; the
    archived usages (or on archived channels) apart. Two queries, one when the
    caller read her ``observations`` already (usage pk, observed on, share, stage,
    observation pk; in the order observed)."""
    every = list(
        ChannelUsage.objects.in_workspace(workspace)
        .filter(persona=persona)
        .select_related("channel")
        .order_by("-share", "channel__name", "pk")
    )
    usages = [u for u in every if not (u.archived or u.channel.archived)]
    archived = [u for u in every if u.archived or u.channel.archived]
    for usage in archived:
        usage.persona = persona
    history: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    if every and observations is None:
        observations = list(
            UsageObservation.objects.in_workspace(workspace)
            .filter(usage__persona=persona)
            .order_by("observed_on", "recorded_at", "pk")
            .values_list("usage_id", "observed_on", "share", "stage", "pk")
        )
    for usage_id, observed_on, share, _stage, _pk in observations or []:
        history[usage_id].append((observed_on, share))
    percents = normalised({u.pk: u.share for u in usages})
    core, emerging = [], []
    for usage in usages:
        usage.persona = persona
        row = MixRow(usage, percents[usage.pk], usage.is_stale_for(workspace), history[usage.pk])
        (core if usage.stage == Stage.CORE else emerging).append(row)
    parts = [
        (r.usage.channel.name, float(r.percent or 0), f"seg-core-{i % 6}")
        for i, r in enumerate(core)
    ]
    parts += [
        (r.usage.channel.name, float(r.percent or 0), f"seg-emerging-{i % 4}")
        for i, r in enumerate(emerging)
    ]
    segments = stacked(parts)
    shown = percentages([s.value for s in segments], 0)
    return PersonaMix(
        persona=persona,
        core=core,
        emerging=emerging,
        total_share=sum((u.share for u in usages), Decimal(0)),
        segments=[replace(s, shown=p) for s, p in zip(segments, shown, strict=True)],
        archived=archived,
    )


@dataclass
class CatalogRow:
    channel: Channel
    personas: int = 0
    core: int = 0
    emerging: int = 0
    summed_percent: Decimal = Decimal(0)  # the channel's normalised share, added over personas
    rising: int = 0
    declining: int = 0

    @property
    def average_percent(self) -> Decimal | None:
        return self.summed_percent / self.personas if self.personas else None


def catalog(workspace: Workspace, *, archived: bool = False) -> list[CatalogRow]:
    """Every channel (or every archived one) with how many active personas use it and
    its share of their mixes. Two queries, whatever the number of channels and usages."""
    channels = Channel.objects.in_workspace(workspace).filter(archived=archived)
    rows = {c.pk: CatalogRow(c) for c in channels}
    by_persona: dict[int, list[tuple[int, Decimal, str, str]]] = defaultdict(list)
    usages = (
        ChannelUsage.objects.in_workspace(workspace)
        .filter(persona__archived=False, archived=False, channel__archived=False)
        .values_list("persona_id", "channel_id", "share", "stage", "trend")
    )
    for persona_id, channel_id, share, stage, trend in usages:
        by_persona[persona_id].append((channel_id, share, stage, trend))
    for mix in by_persona.values():
        percents = normalised({channel_id: share for channel_id, share, _, _ in mix})
        for channel_id, _share, stage, trend in mix:
            row = rows.get(channel_id)
            if row is None:
                continue  # an active channel, on the archived list
            row.personas += 1
            row.core += stage == Stage.CORE
            row.emerging += stage == Stage.EMERGING
            row.rising += trend == "rising"
            row.declining += trend == "declining"
            row.summed_percent += percents[channel_id] or 0
    return list(rows.values())


@dataclass
class ChannelPersonaRow:
    usage: ChannelUsage
    percent: Decimal | None
    stale: bool


def channel_personas(channel: Channel, workspace: Workspace) -> list[ChannelPersonaRow]:
    """The personas on a channel, with the channel's share of each one's mix. Two queries."""
    usages = list(
        ChannelUsage.objects.in_workspace(workspace)
        .filter(channel=channel)
        .select_related("persona")
        .order_by("persona__archived", "-share", "persona__name")
    )
    on_channel = ChannelUsage.objects.in_workspace(workspace).filter(channel=channel)
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for persona_id, share in (
        ChannelUsage.objects.in_workspace(workspace)
        .filter(persona__in=on_channel.values("persona"))
        .values_list("persona_id", "share")
    ):
        totals[persona_id] += share
    rows = []
    for usage in usages:
        total = totals[usage.persona_id]
        percent = usage.share * HUNDRED / total if total > 0 else None
        rows.append(ChannelPersonaRow(usage, percent, usage.is_stale_for(workspace)))
    return rows

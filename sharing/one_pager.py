"""A persona as one A4 page for the people who talk to customers.

``one_pager`` gathers what sales needs — who they are, in their words, goals,
pains, objections, triggers, where to reach them today, where they are going,
how to talk to them — and fits it to the page: every text and list has a
budget, and what is over it is cut at a word with an ellipsis (lists say how
many items are left out). The budgets are set so that a persona with every
field at its maximum length still prints on one page; the screen page, the
printout and the PDF all show the same clipped text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from channels.selectors import persona_mix
from experiments.models import Status
from experiments.selectors import persona_experiments
from personas.models import Persona, ResearchKind, ResearchNote

# Characters (ellipsis included) and item counts each part may use.
NAME = 70
NAME_LONG = 28  # a longer name is set smaller
ROLE_LINE = 100
QUOTE = 180
SUMMARY = 300
LIST_ITEMS = 4
LIST_ITEM = 90
LIST_TOTAL = 200
EMPATHY = 130
CHANNELS_CORE = 4
CHANNELS_EMERGING = 3
EXPERIMENTS = 2
LABEL = 28
WORKSPACE = 48
TITLE = 60


def clip(text: str, limit: int) -> str:
    """``text`` on one budget: whole if it fits, else cut at a word with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    # Cut at the last word boundary in the second half of the budget, if any.
    head = text[: limit - 1]
    space = head.rfind(" ")
    if text[limit - 1] != " " and space > limit // 2:
        head = head[:space]
    return head.rstrip(" ,;:.-–—") + "…"


@dataclass
class ClippedList:
    items: list[str]
    more: int = 0  # items left out

    def __bool__(self) -> bool:
        return bool(self.items)


def clip_list(items: list[str], *, count: int = LIST_ITEMS, each: int = LIST_ITEM,
              total: int = LIST_TOTAL) -> ClippedList:  # fmt: skip
    shown: list[str] = []
    left = total
    for item in items[:count]:
        if left < min(len(item), 40):
            break  # a stub of an item says less than "…and N more"
        text = clip(item, min(each, left))
        shown.append(text)
        left -= len(text)
    return ClippedList(shown, len(items) - len(shown))


@dataclass
class ChannelLine:
    name: str
    percent: float | None
    trend: str
    trend_label: str


@dataclass
class ExperimentLine:
    title: str
    channel: str


@dataclass
class OnePager:
    name: str
    initials: str
    name_is_long: bool
    stage: str
    stage_label: str
    role_line: str
    quote: str
    summary: str
    goals: ClippedList
    pains: ClippedList
    objections: ClippedList
    triggers: ClippedList
    says: str
    thinks: str
    does: str
    feels: str
    core: list[ChannelLine] = field(default_factory=list)
    core_more: int = 0
    core_percent: float | None = None
    emerging: list[ChannelLine] = field(default_factory=list)
    emerging_more: int = 0
    experiments: list[ExperimentLine] = field(default_factory=list)
    experiments_more: int = 0
    evidence: list[str] = field(default_factory=list)  # kinds of research behind it
    reviewed: date | None = None
    workspace_name: str = ""
    as_of: datetime = field(default_factory=timezone.now)

    @property
    def has_empathy(self) -> bool:
        return any((self.says, self.thinks, self.does, self.feels))


def _channels(rows) -> list[ChannelLine]:
    return [
        ChannelLine(
            clip(row.usage.channel.name, LABEL),
            float(row.percent) if row.percent is not None else None,
            row.usage.trend,
            row.usage.get_trend_display(),
        )
        for row in rows
    ]


def one_pager(persona: Persona) -> OnePager:
    """The persona's one-pager. Four queries: the channel mix and its history,
    the experiments, the research notes (the persona is already loaded)."""
    workspace = persona.workspace
    mix = persona_mix(persona, workspace)
    running = [e for e in persona_experiments(persona, workspace) if e.status == Status.RUNNING]
    kinds = set(
        ResearchNote.objects.in_workspace(workspace)
        .filter(persona=persona)
        .values_list("kind", flat=True)
    )
    role_line = " · ".join(
        part
        for part in (persona.role_title, persona.segment, persona.get_company_size_display())
        if part
    )
    core_percent = (
        sum(float(r.percent or 0) for r in mix.core) if mix.rows and not mix.all_zero else None
    )
    return OnePager(
        name=clip(persona.name, NAME),
        initials=persona.initials,
        name_is_long=len(persona.name) > NAME_LONG,
        stage=persona.adoption_stage,
        stage_label=persona.get_adoption_stage_display(),
        role_line=clip(role_line, ROLE_LINE),
        quote=clip(persona.quote, QUOTE),
        summary=clip(persona.summary, SUMMARY),
        goals=clip_list(persona.goal_list),
        pains=clip_list(persona.challenge_list),
        objections=clip_list(persona.objection_list),
        triggers=clip_list(persona.trigger_list),
        says=clip(persona.says, EMPATHY),
        thinks=clip(persona.thinks, EMPATHY),
        does=clip(persona.does, EMPATHY),
        feels=clip(persona.feels, EMPATHY),
        core=_channels(mix.core[:CHANNELS_CORE]),
        core_more=max(0, len(mix.core) - CHANNELS_CORE),
        core_percent=core_percent,
        emerging=_channels(mix.emerging[:CHANNELS_EMERGING]),
        emerging_more=max(0, len(mix.emerging) - CHANNELS_EMERGING),
        experiments=[
            ExperimentLine(clip(e.title, TITLE), clip(e.channel.name, LABEL) if e.channel else "")
            for e in running[:EXPERIMENTS]
        ],
        experiments_more=max(0, len(running) - EXPERIMENTS),
        evidence=[kind.label for kind in ResearchKind if kind.value in kinds],
        reviewed=persona.reviewed_at.date() if persona.reviewed_at else None,
        workspace_name=clip(workspace.name, WORKSPACE),
    )

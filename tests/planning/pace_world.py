"""A workspace whose pace is worked out by hand, dated around today.

Three personas over a window from two quarters ago (read on its last day) to today:
- Farah: TikTok (emerging) 20 → 40 of a 100 mix, X 40 → 20: audience 20 → 40.
  Exploration 20 % → 22 %: effort +2. Gap −18: falling behind.
- Paul: LinkedIn (emerging) 10 → 12 of 100: audience +2. Effort 15 → 16: gap −1, keeping pace.
- Olivia: YouTube (emerging) 6 of 100 throughout: audience +0. Effort 10 → 30:
  gap +20, running ahead.
Weights 2, 1, 1: the workspace's gap is (2 × −18 − 1 + 20) / 4 = −4.25.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from channels.models import ChannelUsage, UsageObservation
from planning.allocation import Bucket, LineKind
from planning.models import PlanLine
from planning.pace import quarter_of
from tests.factories import ChannelFactory, PersonaFactory, PlanFactory

# persona → weight, {channel: [(when, share, stage)]}, {quarter offset: ({channel: amount}, future)}
STORY = {
    "Farah": (
        2,
        {
            "Podcasts": [("early", 40, "core")],
            "X": [("early", 40, "core"), ("middle", 20, "core")],
            "TikTok": [("early", 20, "emerging"), ("middle", 40, "emerging")],
        },
        {-2: ({"Podcasts": 40, "X": 40}, 20), 0: ({"Podcasts": 40, "X": 38}, 22)},
    ),
    "Paul": (
        1,
        {
            "Email": [("early", 45, "core")],
            "Trade shows": [("early", 45, "core"), ("middle", 43, "core")],
            "LinkedIn": [("early", 10, "emerging"), ("middle", 12, "emerging")],
        },
        {-2: ({"Email": 85}, 15), 0: ({"Email": 84}, 16)},
    ),
    "Olivia": (
        1,
        {
            "LinkedIn": [("early", 50, "core"), ("middle", 50, "core")],
            "Trade shows": [("early", 44, "core")],
            "YouTube": [("early", 6, "emerging")],
        },
        {-2: ({"LinkedIn": 90}, 10), 0: ({"LinkedIn": 70}, 30)},
    ),
}


def moments(today: date) -> dict[str, date]:
    return {"early": today - timedelta(days=540), "middle": quarter_of(today, -1).start}


def _plans(workspace, today: date) -> dict:
    plans = {}
    for offset in (-2, 0):
        quarter = quarter_of(today, offset)
        plans[offset] = PlanFactory(
            workspace=workspace, name=f"{quarter.label} plan", start=quarter.start,
            end=quarter.end, status="approved", total_effort=Decimal(300),
        )  # fmt: skip
    return plans


def build(workspace, today: date | None = None, extra_observations: int = 0) -> dict:
    """The three personas in ``workspace``, with ``extra_observations`` more
    re-observations of Paul's email (same share, so no figure changes)."""
    today = today or timezone.localdate()
    when = moments(today)
    channels = {}
    plans = _plans(workspace, today)
    personas = {}
    for name, (weight, mix, efforts) in STORY.items():
        persona = personas[name] = PersonaFactory(workspace=workspace, name=name, priority=weight)
        for channel_name, points in mix.items():
            channel = channels.get(channel_name) or channels.setdefault(
                channel_name, ChannelFactory(workspace=workspace, name=channel_name)
            )
            last = points[-1]
            usage = ChannelUsage.objects.create(
                workspace=workspace, persona=persona, channel=channel, share=last[1], stage=last[2]
            )
            for moment, share, stage in points:
                UsageObservation.objects.create(
                    workspace=workspace, usage=usage, observed_on=when[moment], share=share,
                    stage=stage, trend="steady",
                )  # fmt: skip
            if name == "Paul" and channel_name == "Email":
                UsageObservation.objects.bulk_create(
                    UsageObservation(
                        workspace=workspace,
                        usage=usage,
                        share=45,
                        stage="core",
                        trend="steady",
                        observed_on=when["early"] + timedelta(days=1 + i % 500),
                    )
                    for i in range(extra_observations)
                )
        for offset, (present, future) in efforts.items():
            _lines(workspace, plans[offset], persona, weight, present, future, channels)
    return personas


def _lines(workspace, plan, persona, weight, present: dict, future: int, channels) -> None:
    total = sum(present.values()) + future
    share = Decimal(sum(present.values()) * 100) / total
    common = {
        "workspace": workspace, "plan": plan, "persona": persona, "persona_name": persona.name,
        "persona_weight": weight, "persona_present_share": share, "persona_share_source": "plan",
    }  # fmt: skip
    for position, (name, amount) in enumerate(present.items()):
        PlanLine.objects.create(
            **common, bucket=Bucket.PRESENT, kind=LineKind.CHANNEL, channel=channels[name],
            channel_name=name, amount=amount, position=position,
        )  # fmt: skip
    PlanLine.objects.create(
        **common, bucket=Bucket.FUTURE, kind=LineKind.EXPERIMENT, experiment_name="A test",
        amount=future, position=99,
    )  # fmt: skip

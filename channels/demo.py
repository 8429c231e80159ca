"""Demo channel mixes, with months of observations: one emerging channel rising past
16% of a persona's mix, and one core channel declining."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from channels.models import Channel, ChannelUsage, UsageObservation
from personas.models import Persona
from workspaces.models import Workspace
from workspaces.versioning import save_new, save_versioned

RECENT_DAYS = 45
MIX_EDIT = ["share", "trend"]

# persona → channel → (stage, trend, evidence, verified days ago, [(days ago, share)…])
MIXES: dict[str, dict[str, tuple]] = {
    "Operations Olivia": {
        "LinkedIn": ("core", "steady", "survey", 40, [(150, 30), (60, 35)]),
        "Email newsletter": ("core", "steady", "analytics", 40, [(150, 25)]),
        "Trade shows": ("core", "steady", "sales", 40, [(150, 30), (90, 25), (30, 18)]),
        "Webinars": ("core", "rising", "analytics", 40, [(150, 8), (60, 12)]),
        "YouTube": ("emerging", "rising", "interviews", 40, [(120, 3), (30, 6)]),
    },
    "Digital Dan": {
        "Search": ("core", "steady", "analytics", 50, [(240, 35)]),
        "Paid search": ("core", "steady", "analytics", 50, [(240, 25), (200, 20)]),
        "Webinars": ("core", "steady", "survey", 50, [(240, 15)]),
        "Analyst reports": ("core", "steady", "survey", 50, [(240, 10)]),
        "LinkedIn": ("core", "rising", "analytics", 60, [(240, 12), (60, 16)]),
        "Podcasts": ("emerging", "rising", "interviews", 60, [(90, 4)]),
    },
    "Founder Farah": {
        "Podcasts": ("core", "steady", "interviews", 15, [(160, 40)]),
        "X": ("core", "declining", "interviews", 15, [(160, 30), (60, 20)]),
        "Online communities": ("core", "steady", "interviews", 15, [(160, 15)]),
        "TikTok": (
            "emerging",
            "rising",
            "analytics",
            15,
            [(150, 5), (100, 10), (45, 18), (10, 25)],
        ),
    },
    "Procurement Paul": {
        "Email newsletter": ("core", "steady", "assumption", 80, [(300, 30)]),
        "Trade shows": ("core", "steady", "sales", 80, [(300, 40)]),
        "Analyst reports": ("core", "steady", "assumption", 80, [(300, 20)]),
        "LinkedIn": ("emerging", "rising", "assumption", 80, [(300, 5)]),
    },
    "Analyst Ana": {
        "YouTube": ("core", "rising", "survey", 60, [(120, 25), (60, 30)]),
        "Online communities": ("core", "steady", "survey", 60, [(120, 30)]),
        "Blog / SEO": ("core", "steady", "analytics", 60, [(120, 20)]),
        "Search": ("core", "steady", "analytics", 60, [(120, 20), (60, 15)]),
    },
}


def seed_channels(workspace: Workspace, users: dict[str, User]) -> str:
    """The demo personas' mixes, on the catalog every workspace starts with."""
    channels = {c.name: c for c in Channel.objects.in_workspace(workspace)}
    personas = Persona.objects.in_workspace(workspace).filter(name__in=MIXES).order_by("pk")
    author = users.get("marketer")
    now = timezone.now()
    for persona in personas:
        if ChannelUsage.objects.in_workspace(workspace).filter(persona=persona).exists():
            continue  # seeded before: leave it as the team may have edited it
        for name, (stage, trend, evidence, verified, points) in MIXES.get(persona.name, {}).items():
            # A share observed lately is in the mix's history as an edit of the one before.
            edited = len(points) > 1 and points[-1][0] <= RECENT_DAYS
            share = Decimal(points[-2 if edited else -1][1])
            usage = ChannelUsage(
                channel=channels[name], share=share, stage=stage,
                trend="steady" if edited else trend, evidence=evidence,
                last_verified=(now - timedelta(days=verified)).date(),
            )  # fmt: skip
            save_new(
                usage, user=author, workspace=workspace, persona=persona, created_by=author,
                updated_by=author,
            )  # fmt: skip
            if edited:
                usage.share, usage.trend = Decimal(points[-1][1]), trend
                save_versioned(usage, expected_version=1, user=author, update_fields=MIX_EDIT)
            before = None
            for i, (days_ago, value) in enumerate(points):
                when = now - timedelta(days=days_ago)
                last = i == len(points) - 1
                UsageObservation.objects.create(
                    workspace=workspace,
                    usage=usage,
                    observed_on=when.date(),
                    recorded_at=when,
                    recorded_by=author,
                    share_before=before,
                    share=Decimal(value),
                    stage_before="" if before is None else stage,
                    stage=stage,
                    trend_before="" if before is None else "steady",
                    trend=trend if last else "steady",
                )
                before = Decimal(value)
    return ""

"""Demo experiments across statuses, with results; one adopted and graduated."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from channels.models import Channel
from experiments.models import Experiment, ExperimentResult, ExperimentTarget
from experiments.services import experiment_graduate
from personas.models import Persona
from workspaces.models import Workspace

EXPERIMENTS = [
    {
        "title": "TikTok explainer series",
        "kind": "channel",
        "channel": "TikTok",
        "personas": ["Founder Farah"],
        "status": "running",
        "hypothesis": "We believe Founder Farah will watch 60-second product explainers on TikTok; "
        "we will know when weekly profile visits from founders reach 250.",
        "metric": "Weekly profile visits from founders",
        "baseline": 40,
        "target": 250,
        "ice": (7, 6, 8),
        "started": 70,
        "results": [
            (56, 60, "First five videos"),
            (35, 120, ""),
            (21, 190, "Duet with a founder podcast host"),
            (7, 232, ""),
        ],
    },
    {
        "title": "Real-time decisioning pilot",
        "kind": "capability",
        "channel": None,
        "personas": ["Operations Olivia", "Digital Dan"],
        "status": "planned",
        "hypothesis": "We believe operations and marketing leads will pilot real-time decisioning on "
        "their order data; we will know when five accounts sign up for the pilot.",
        "metric": "Pilot sign-ups",
        "baseline": 0,
        "target": 5,
        "ice": (8, 5, 4),
    },
    {
        "title": "LinkedIn newsletter",
        "kind": "channel",
        "channel": "LinkedIn",
        "personas": ["Operations Olivia", "Procurement Paul"],
        "status": "concluded",
        "outcome": "adopt",
        "graduate": {"Operations Olivia": 35, "Procurement Paul": 15},
        "hypothesis": "We believe Procurement Paul will subscribe to a monthly LinkedIn newsletter on "
        "supply-chain risk; we will know when subscribers reach 600.",
        "metric": "Newsletter subscribers",
        "baseline": 0,
        "target": 600,
        "ice": (7, 7, 9),
        "started": 160,
        "ended": 40,
        "learnings": "Subscribers passed the target in four months; procurement readers forward "
        "issues to their IT teams. Adopt: LinkedIn becomes core for Paul.",
        "results": [
            (130, 200, ""),
            (90, 450, ""),
            (45, 800, "Cross-posted by an industry association"),
        ],
    },
    {
        "title": "Paid search landing page rewrite",
        "kind": "format",
        "channel": "Paid search",
        "personas": ["Digital Dan"],
        "status": "running",
        "hypothesis": "We believe Digital Dan will convert on a benchmark-led landing page from "
        "paid search; we will know when cost per lead falls to 120 USD.",
        "metric": "Cost per lead (USD)",
        "baseline": 180,
        "target": 120,
        "higher_is_better": False,
        "ice": (6, 7, 7),
        "started": 50,
        "results": [
            (40, 170, ""),
            (25, 150, ""),
            (10, 135, ""),
            (3, 118, "New page live for two weeks"),
        ],
    },
    {
        "title": "Podcast guesting with data leaders",
        "kind": "channel",
        "channel": "Podcasts",
        "personas": ["Digital Dan"],
        "status": "running",
        "hypothesis": "We believe Digital Dan will listen to data leaders' podcasts where we guest; "
        "we will know when attributed demo requests reach 10 a month.",
        "metric": "Attributed demo requests per month",
        "baseline": 2,
        "target": 10,
        "ice": (6, 5, 6),
        "started": 45,
        "results": [(30, 3, ""), (5, 5, "")],
    },
    {
        "title": "YouTube operations explainers",
        "kind": "channel",
        "channel": "YouTube",
        "personas": ["Operations Olivia"],
        "status": "idea",
        "hypothesis": "We believe Operations Olivia will watch short how-to videos on YouTube; we will "
        "know when 300 operations viewers a month watch to the end.",
        "metric": "Completed views a month",
        "baseline": 0,
        "target": 300,
        "ice": (5, 4, 6),
    },
    {
        "title": "Procurement webinar series",
        "kind": "format",
        "channel": "Webinars",
        "personas": ["Procurement Paul"],
        "status": "concluded",
        "outcome": "iterate",
        "metric": "Registrations per webinar",
        "baseline": 20,
        "target": 80,
        "ice": (5, 6, 6),
        "started": 120,
        "ended": 60,
        "learnings": "Registrations stalled at 45: the security deep-dive drew most. Iterate with a "
        "security-only series.",
        "results": [(100, 30, ""), (70, 45, "")],
    },
]


def seed_experiments(workspace: Workspace, users: dict[str, User]) -> str:
    author = users.get("marketer")
    now = timezone.now()
    personas = {p.name: p for p in Persona.objects.in_workspace(workspace)}
    channels = {c.name: c for c in Channel.objects.in_workspace(workspace)}
    out = []
    for spec in EXPERIMENTS:
        existing = Experiment.objects.in_workspace(workspace).filter(title=spec["title"]).first()
        if existing:
            out.append(existing)
            continue
        impact, confidence, ease = spec["ice"]
        started, ended = spec.get("started"), spec.get("ended")
        experiment = Experiment(
            workspace=workspace,
            title=spec["title"],
            kind=spec["kind"],
            channel=channels.get(spec["channel"]) if spec["channel"] else None,
            hypothesis=spec.get("hypothesis", ""),
            metric=spec["metric"],
            baseline=Decimal(spec["baseline"]),
            target=Decimal(spec["target"]),
            higher_is_better=spec.get("higher_is_better", True),
            impact=impact,
            confidence=confidence,
            ease=ease,
            status=spec["status"],
            outcome=spec.get("outcome", ""),
            learnings=spec.get("learnings", ""),
            start_date=(now - timedelta(days=started)).date() if started else None,
            end_date=(now - timedelta(days=ended)).date() if ended else None,
            concluded_at=now - timedelta(days=ended) if ended else None,
            owner=author,
            created_by=author,
            updated_by=author,
        )
        experiment._history_user = author
        experiment.save()
        ExperimentTarget.objects.bulk_create(
            ExperimentTarget(workspace=workspace, experiment=experiment, persona=personas[name])
            for name in spec["personas"]
        )
        for days_ago, value, note in spec.get("results", []):
            ExperimentResult.objects.create(
                workspace=workspace,
                experiment=experiment,
                date=(now - timedelta(days=days_ago)).date(),
                value=Decimal(value),
                note=note,
                created_by=author,
            )
        if spec.get("graduate"):
            shares = {personas[name].pk: Decimal(share) for name, share in spec["graduate"].items()}
            experiment_graduate(experiment=experiment, shares=shares, user=author)
        out.append(experiment)
    return f"{len(out)} experiments"

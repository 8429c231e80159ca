"""Demo experiments across statuses, with results; one adopted and graduated."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from accounts.models import User
from channels.models import Channel
from experiments.models import Experiment, ExperimentResult, ExperimentTarget
from experiments.services import experiment_graduate
from personas.models import Persona
from workspaces.models import Workspace

# The demo experiments, as data: ages are in days before today.
EXPERIMENTS = json.loads(Path(__file__).with_name("demo.json").read_text(encoding="utf-8"))


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
            baseline=Decimal(str(spec["baseline"])),
            target=Decimal(str(spec["target"])),
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
                value=Decimal(str(value)),
                note=note,
                created_by=author,
            )
        if spec.get("graduate"):
            shares = {
                personas[name].pk: Decimal(str(share)) for name, share in spec["graduate"].items()
            }
            experiment_graduate(experiment=experiment, shares=shares, user=author)
        out.append(experiment)
    return f"{len(out)} experiments"

"""A workspace as big as a large team's: the data the page benchmark and the
bounded-page tests run on.

At ``size`` personas (300 by default) it holds ``size`` personas with ten
channel usages each over 60 channels — each usage observed three times over
the last nine months, its emerging channel growing, so that the pace is
measured on a history — ``size * 5 / 3`` experiments (500 at
300), two plans covering every persona — last quarter's approved with its lines
frozen, this quarter's a draft — and ``size * 20 / 3`` actuals (2,000 at 300)
recorded against the approved plan. Rows are written in bulk; the plan goes
through the review services so its lines are what an approval stores.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from channels.models import Channel, ChannelUsage, UsageObservation
from experiments.models import Experiment, ExperimentTarget
from personas.models import Persona
from planning import services
from planning.models import Actual, Plan, PlanPersona
from planning.selectors import next_quarter
from workspaces.models import Membership, Workspace
from workspaces.roles import Role
from workspaces.services import workspace_delete

CHANNELS = 60
USAGES_PER_PERSONA = 10
TRENDS = ("rising", "steady", "declining")
STATUSES = ("idea", "planned", "running", "concluded")


@dataclass
class ScaleWorkspace:
    workspace: Workspace
    owner: User
    approved: Plan
    draft: Plan


def _personas(workspace: Workspace, size: int) -> list[Persona]:
    channels = Channel.objects.bulk_create(
        Channel(workspace=workspace, name=f"Channel {i:02}") for i in range(CHANNELS)
    )
    people = Persona.objects.bulk_create(
        Persona(
            workspace=workspace,
            name=f"Persona {i:03}",
            role_title="Head of growth",
            segment=f"Segment {i % 12}",
            priority=i % 5 + 1,
            goals="Grow the pipeline by a third without growing the team.",
        )
        for i in range(size)
    )
    ChannelUsage.objects.bulk_create(
        ChannelUsage(
            workspace=workspace, persona=p, channel=channels[(i + k) % CHANNELS], share=Decimal(k + 1),
            trend=TRENDS[k % 3], stage="emerging" if k == 0 else "core",
        )
        for i, p in enumerate(people) for k in range(USAGES_PER_PERSONA)
    )  # fmt: skip
    _history(workspace)
    experiments = Experiment.objects.bulk_create(
        Experiment(
            workspace=workspace, title=f"Experiment {i:03}", status=STATUSES[i % 4],
            outcome="adopt" if i % 8 == 3 else ("drop" if i % 8 == 7 else ""),
            channel=channels[i % CHANNELS],
        )
        for i in range(size * 5 // 3)
    )  # fmt: skip
    ExperimentTarget.objects.bulk_create(
        ExperimentTarget(workspace=workspace, experiment=e, persona=people[i % size])
        for i, e in enumerate(experiments)
    )
    return people


# When each usage was observed (days ago), and how much of its share its
# emerging channel held then.
HISTORY = ((270, Decimal("0.25")), (120, Decimal("0.6")), (10, Decimal(1)))


def _history(workspace: Workspace) -> None:
    """Each usage's observations: recorded nine months ago, a quarter ago, lately."""
    today = timezone.localdate()
    usages = ChannelUsage.objects.filter(workspace=workspace).values_list(
        "pk", "share", "stage", "trend"
    )
    UsageObservation.objects.bulk_create(
        UsageObservation(
            workspace=workspace, usage_id=pk, observed_on=today - timedelta(days=days),
            share=share * part if stage == "emerging" else share, stage=stage, trend=trend,
        )
        for pk, share, stage, trend in usages for days, part in HISTORY
    )  # fmt: skip


def _plan(workspace: Workspace, owner: User, people, name: str, start, end) -> Plan:
    plan = Plan.objects.create(
        workspace=workspace, name=name, start=start, end=end, total_effort=Decimal("100000")
    )
    PlanPersona.objects.bulk_create(
        PlanPersona(workspace=workspace, plan=plan, persona=p, weight=p.priority) for p in people
    )
    return plan


@transaction.atomic
def build_scale_workspace(size: int = 300, slug: str = "scale") -> ScaleWorkspace:
    """Create (or replace) the workspace ``slug`` at ``size`` personas."""
    for earlier in Workspace.objects.filter(slug=slug):
        workspace_delete(workspace=earlier, by=None)
    workspace = Workspace.objects.create(name=f"Scale {size}", slug=slug)
    owner, _ = User.objects.get_or_create(
        email=f"owner@{slug}.example.invalid", defaults={"name": "Scale owner"}
    )
    Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    people = _personas(workspace, size)
    this_start, this_end = next_quarter(timezone.localdate() - timedelta(days=92))
    last_start, last_end = this_start - timedelta(days=91), this_start - timedelta(days=1)
    approved = _plan(workspace, owner, people, "Last quarter", last_start, last_end)
    services.plan_submit(plan=approved, user=owner, expected_version=approved.version)
    approved.refresh_from_db()
    services.plan_approve(plan=approved, user=owner, expected_version=approved.version)
    draft = _plan(workspace, owner, people, "This quarter", this_start, this_end)
    lines = list(approved.lines.filter(channel__isnull=False).values("channel_id", "persona_id"))
    experiment_lines = list(
        approved.lines.filter(experiment__isnull=False).values("experiment_id", "persona_id")
    )
    actuals = []
    for i in range(size * 20 // 3):
        on_experiment = i % 5 == 4 and experiment_lines
        source = experiment_lines if on_experiment else lines
        line = source[(i * 7) % len(source)]
        actuals.append(
            Actual(
                workspace=workspace, plan=approved, date=last_start + timedelta(days=i % 90),
                channel_id=line.get("channel_id"), experiment_id=line.get("experiment_id"),
                persona_id=line["persona_id"], amount=Decimal(40 + i % 60),
            )
        )  # fmt: skip
    Actual.objects.bulk_create(actuals)
    return ScaleWorkspace(workspace, owner, approved, draft)


def analyze() -> None:
    """Refresh PostgreSQL's statistics once a scale workspace is filled, as its
    autovacuum would soon: without them it plans every join for a handful of
    rows. For the commands that measure; tests leave the statistics alone (taken
    on a nearly empty test database, they would mislead the planner later)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

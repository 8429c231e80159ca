"""Measure the what-if recompute on a 50-persona × 30-channel plan.

    python manage.py bench_whatif [--personas 50] [--channels 30] [--runs 30]

Builds the data in a transaction that is rolled back, signs a marketer in, and
times the htmx request the ratio slider sends, end to end through Django
(middleware, queries, the engine, rendering). Nothing is left behind.
"""

from __future__ import annotations

import gc
import statistics
import time
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import Client

from accounts.models import User
from channels.models import Channel, ChannelUsage
from experiments.models import Experiment, ExperimentTarget
from personas.models import Persona
from planning.models import Plan, PlanPersona
from workspaces.models import Membership, Workspace


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the what-if recompute of a large plan (nothing is saved)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--personas", type=int, default=50)
        parser.add_argument("--channels", type=int, default=30)
        parser.add_argument("--runs", type=int, default=30)

    def handle(self, *args, personas: int, channels: int, runs: int, **options) -> None:
        try:
            with transaction.atomic():
                self._bench(personas, channels, runs)
                raise Rollback
        except Rollback:
            pass

    def _bench(self, n_personas: int, n_channels: int, runs: int) -> None:
        workspace = Workspace.objects.create(name="Benchmark", slug="benchmark-whatif-tmp")
        user = User.objects.create_user("bench-whatif@example.invalid", None)
        Membership.objects.create(workspace=workspace, user=user, role="marketer")
        channels = Channel.objects.bulk_create(
            Channel(workspace=workspace, name=f"Channel {i}") for i in range(n_channels)
        )
        people = Persona.objects.bulk_create(
            Persona(workspace=workspace, name=f"Persona {i}", priority=i % 5 + 1)
            for i in range(n_personas)
        )
        ChannelUsage.objects.bulk_create(
            ChannelUsage(workspace=workspace, persona=p, channel=c, share=Decimal(j % 7 + 1))
            for p in people for j, c in enumerate(channels)
        )  # fmt: skip
        experiments = Experiment.objects.bulk_create(
            Experiment(workspace=workspace, title=f"Experiment {i}", status="running")
            for i in range(10)
        )
        ExperimentTarget.objects.bulk_create(
            ExperimentTarget(workspace=workspace, experiment=experiments[(i + k) % 10], persona=p)
            for i, p in enumerate(people) for k in range(2)
        )  # fmt: skip
        plan = Plan.objects.create(
            workspace=workspace,
            name="Benchmark plan",
            start="2027-01-01",
            end="2027-03-31",
            total_effort=Decimal("10000"),
        )
        members = PlanPersona.objects.bulk_create(
            PlanPersona(workspace=workspace, plan=plan, persona=p, weight=p.priority)
            for p in people
        )
        member_ids = [m.pk for m in members]
        weights = {m.pk: m.weight for m in members}
        # Like a server process, hold no benchmark objects while timing.
        del people, channels, experiments, members
        gc.collect()
        client = Client()
        client.force_login(user)
        url = f"/w/{workspace.slug}/plans/{plan.pk}/"
        timings = []
        for run in range(runs + 3):
            params = {
                "present_share": str(60 + run % 30),
                **{f"weight_{pk}": str(weights[pk]) for pk in member_ids},
            }
            start = time.perf_counter()
            response = client.get(url, params, headers={"HX-Request": "true"})
            elapsed = time.perf_counter() - start
            assert response.status_code == 200, response.status_code
            if run >= 3:  # the first requests warm caches up
                timings.append(elapsed * 1000)
        timings.sort()
        self.stdout.write(
            f"what-if recompute, {n_personas} personas × {n_channels} channels "
            f"({n_personas * n_channels} core usages), {runs} runs: "
            f"median {statistics.median(timings):.1f} ms, p90 {timings[int(len(timings) * 0.9) - 1]:.1f} ms, "
            f"best {timings[0]:.1f} ms"
        )

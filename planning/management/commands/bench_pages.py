"""Server time of the heaviest pages, on generated data that is rolled back.

    python manage.py bench_pages [--runs 20]

1. The what-if recompute of a 50-persona × 30-channel plan: the htmx request
   the ratio slider sends.
2. The dashboard of a large workspace: 300 personas, 3,000 channel usages,
   500 experiments.
3. Uploads: hostile files (a workbook of 1,500,000 rows in 840 KB, one of
   100,000 rows, a CSV of 100,000 rows, a backup nested 100,000 deep) refused,
   beside a normal 10,000-row upload: the times and their ratios.

Each is timed end to end through Django (middleware, queries, rendering) with
the test client, outside any test instrumentation. Nothing is left behind.
"""

from __future__ import annotations

import gc
import statistics
import time
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import Client

from accounts.models import User
from channels.models import Channel, ChannelUsage
from experiments.models import Experiment, ExperimentTarget
from pacekeeper import samples
from personas.models import Persona
from planning.models import Plan, PlanPersona
from workspaces.models import Membership, Workspace


class Rollback(Exception):
    pass


def _report(label: str, timings: list[float]) -> str:
    timings = sorted(timings)
    return (
        f"{label}: median {statistics.median(timings):.1f} ms, "
        f"p90 {timings[max(0, int(len(timings) * 0.9) - 1)]:.1f} ms, best {timings[0]:.1f} ms "
        f"({len(timings)} runs)"
    )


class Command(BaseCommand):
    help = (
        "Time the what-if recompute and the dashboard on large generated data (nothing is saved)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--runs", type=int, default=20)

    def handle(self, *args, runs: int, **options) -> None:
        for bench in (self._whatif, self._dashboard, self._uploads):
            try:
                with transaction.atomic():
                    self.stdout.write(bench(runs))
                    raise Rollback
            except Rollback:
                pass

    def _timed(self, client: Client, url: str, runs: int, params=None, headers=None) -> list[float]:
        timings = []
        for run in range(runs + 3):
            start = time.perf_counter()
            response = client.get(url, params(run) if params else None, headers=headers or {})
            elapsed = time.perf_counter() - start
            assert response.status_code == 200, response.status_code
            if run >= 3:  # the first requests warm caches up
                timings.append(elapsed * 1000)
        return timings

    def _dashboard(self, runs: int) -> str:
        workspace = Workspace.objects.create(name="Benchmark", slug="benchmark-dashboard-tmp")
        user = User.objects.create_user("bench-dashboard@example.invalid", None)
        Membership.objects.create(workspace=workspace, user=user, role="reviewer")
        channels = Channel.objects.bulk_create(
            Channel(workspace=workspace, name=f"Channel {i}") for i in range(60)
        )
        people = Persona.objects.bulk_create(
            Persona(workspace=workspace, name=f"Persona {i:03}", priority=i % 5 + 1)
            for i in range(300)
        )
        ChannelUsage.objects.bulk_create(
            ChannelUsage(
                workspace=workspace, persona=p, channel=channels[(i + k) % 60], share=Decimal(k + 1),
                trend=("rising", "steady", "declining")[k % 3], stage="emerging" if k == 0 else "core",
            )
            for i, p in enumerate(people) for k in range(10)
        )  # fmt: skip
        experiments = Experiment.objects.bulk_create(
            Experiment(
                workspace=workspace, title=f"Experiment {i}", status=("idea", "planned", "running", "concluded")[i % 4],
                outcome="adopt" if i % 4 == 3 else "", channel=channels[i % 60],
            )
            for i in range(500)
        )  # fmt: skip
        ExperimentTarget.objects.bulk_create(
            ExperimentTarget(workspace=workspace, experiment=e, persona=people[i % 300])
            for i, e in enumerate(experiments)
        )
        today = date.today()
        plan = Plan.objects.create(
            workspace=workspace,
            name="Benchmark plan",
            start=today,
            end=today,
            total_effort=Decimal("100000"),
        )
        PlanPersona.objects.bulk_create(
            PlanPersona(workspace=workspace, plan=plan, persona=p, weight=p.priority)
            for p in people
        )
        del channels, people, experiments
        gc.collect()
        client = Client()
        client.force_login(user)
        timings = self._timed(client, f"/w/{workspace.slug}/", runs)
        return _report(
            "dashboard, 300 personas × 10 channels (3,000 usages), 500 experiments", timings
        )

    def _whatif(self, runs: int, n_personas: int = 50, n_channels: int = 30) -> str:
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

        def params(run: int) -> dict:
            return {
                "present_share": str(60 + run % 30),
                **{f"weight_{pk}": str(weights[pk]) for pk in member_ids},
            }

        timings = self._timed(client, url, runs, params, {"HX-Request": "true"})
        return _report(f"what-if recompute, {n_personas} personas × {n_channels} channels", timings)

    def _uploads(self, runs: int) -> str:
        """Hostile uploads refused, timed beside a normal 10,000-row upload."""
        workspace = Workspace.objects.create(name="Benchmark", slug="benchmark-uploads-tmp")
        user = User.objects.create_user("bench-uploads@example.invalid", None)
        Membership.objects.create(workspace=workspace, user=user, role="owner")
        client = Client()
        client.force_login(user)
        header = ["name", "role_title", "segment", "priority", "goals"]
        row = ["Persona", "Head of growth", "Logistics", "3", "Grow pipeline by a third"]
        normal_csv = "\n".join(
            [",".join(header)] + [",".join([f"Persona {i}", *row[1:]]) for i in range(10_000)]
        ).encode()
        normal_xlsx = samples.sheet_workbook(header, row, 10_000)
        deep = b"[" * 100_000 + b"]" * 100_000
        cases = [
            ("10,000-row CSV, read (the baseline)", "personas.csv", normal_csv, 303),
            ("10,000-row workbook, read", "personas.xlsx", normal_xlsx, 303),
            (
                "workbook of 1,500,000 rows (220 MB unzipped)",
                "p.xlsx",
                samples.huge_workbook(),
                422,
            ),
            ("workbook of 100,000 rows", "p.xlsx", samples.long_workbook(), 422),
            ("CSV of 100,000 rows", "p.csv", b"name\n" + b"Olivia\n" * 100_000, 422),
        ]
        upload_url = f"/w/{workspace.slug}/imports/personas/"
        lines, baseline = ["uploads, refused or read (median of the runs):"], None
        for label, name, content, status in cases:
            median = self._post_timed(
                client, upload_url, lambda n=name, c=content: {"file": SimpleUploadedFile(n, c)},
                status, max(3, runs // 4),
            )  # fmt: skip
            baseline = baseline or median
            lines.append(self._upload_line(label, len(content), median, baseline))
        median = self._post_timed(
            client,
            f"/w/{workspace.slug}/settings/backup/import/",
            lambda: {"file": SimpleUploadedFile("b.json", deep), "slug": "bench-deep"},
            422,
            max(3, runs // 4),
        )
        lines.append(
            self._upload_line("backup of JSON nested 100,000 deep", len(deep), median, baseline)
        )
        return "\n".join(lines)

    def _post_timed(self, client: Client, url: str, data, status: int, runs: int) -> float:
        timings = []
        for _ in range(runs):
            gc.collect()
            start = time.perf_counter()
            response = client.post(url, data())
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == status, (url, response.status_code)
        return statistics.median(timings)

    def _upload_line(self, label: str, size: int, median: float, baseline: float) -> str:
        return (
            f"  {label}, {size / 1024:,.0f} KB: {median:,.1f} ms "
            f"({median / baseline:.2f} × the 10,000-row CSV)"
        )

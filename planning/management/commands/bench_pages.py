"""Server time of the heaviest pages, on generated data that is rolled back.

    python manage.py bench_pages [--runs 20]

1. The pages of a large workspace (planning.scale: 300 personas × 10 channel
   usages, 500 experiments, two 300-persona plans, 2,000 actuals), each as a
   ratio to Django admin's changelist of the same personas, with bytes and
   queries, and the what-if answer against the plan page it updates.
2. Uploads: hostile files (a workbook of 1,500,000 rows in 840 KB, one of
   100,000 rows, a CSV of 100,000 rows, a backup nested 100,000 deep) refused,
   beside a normal 10,000-row upload: the times and their ratios.

Each is timed end to end through Django (middleware, queries, rendering) with
the test client, outside any test instrumentation. Nothing is left behind.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from unittest import mock

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from accounts.models import User
from channels.models import ChannelUsage, UsageObservation
from channels.services import channel_update
from experiments.models import Experiment
from pacekeeper import samples
from personas.models import Persona
from planning.models import Plan, PlanLine
from planning.plan_page import PERSONAS_SHOWN
from planning.scale import analyze, build_scale_workspace
from workspaces.models import Membership, Workspace
from workspaces.revision import bump


class Rollback(Exception):
    pass


class NewDay:
    """Moves the clock on a day at each call (``timezone.localdate``, which the
    pages and their cache keys read the day from), while it is installed."""

    def __init__(self) -> None:
        self.days, self.localdate = 0, timezone.localdate

    def __call__(self) -> None:
        self.days += 1

    def today(self, value=None, timezone=None):
        return self.localdate(value, timezone) + timedelta(days=self.days)


class QueryCounter:
    """Counts the queries run while it wraps the connection (DEBUG off too)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _report(label: str, timings: list[float]) -> str:
    timings = sorted(timings)
    return (
        f"{label}: median {statistics.median(timings):.1f} ms, "
        f"p90 {timings[max(0, int(len(timings) * 0.9) - 1)]:.1f} ms, best {timings[0]:.1f} ms "
        f"({len(timings)} runs)"
    )


def _changes(draft: Plan, persona: Persona, new_day: NewDay) -> dict[str, Callable[[], None]]:
    """Writes the dashboard's pace is computed from, as the app makes them."""
    observed = UsageObservation.objects.filter(usage__persona=persona).order_by("pk").last()

    def approval() -> None:
        # What an approval writes: the plan's status, then its lines.
        bump([draft.workspace_id], Plan)
        bump([draft.workspace_id], PlanLine)

    channel = observed.usage.channel

    def renamed() -> None:
        channel.name = channel.name[:-1] if channel.name.endswith("+") else f"{channel.name}+"
        channel_update(channel=channel, user=None, fields=["name"])  # as its edit form does

    return {
        "channel": renamed,
        "mix": observed.save,  # a persona's channel mix re-observed
        # A write to every persona's mix at once (an import's).
        "every mix": lambda: bump([draft.workspace_id], ChannelUsage, bulk=True),
        "persona": lambda: persona.save(update_fields=["summary"]),
        "draft": lambda: draft.save(update_fields=["name"]),
        "approval": approval,
        "day": new_day,
    }


class Command(BaseCommand):
    help = (
        "Time the what-if recompute and the dashboard on large generated data (nothing is saved)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--runs", type=int, default=20)

    def handle(self, *args, runs: int, **options) -> None:
        for bench in (self._pages, self._uploads):
            try:
                with transaction.atomic():
                    self.stdout.write(bench(runs))
                    raise Rollback
            except Rollback:
                pass

    def _measure(self, client: Client, cases, workspace_id: int, runs: int) -> list[tuple]:
        """Each page's cold and warm median time, its bytes and its queries. The
        pages take turns run after run, so a slower moment of the machine falls
        on all of them alike."""
        sizes, counts = [], []
        for _label, url, params, headers, _change in cases:
            counter = QueryCounter()
            bump([workspace_id])  # the first read after a change of any kind
            with connection.execute_wrapper(counter):
                response = client.get(url, params(0) if params else None, headers=headers)
            assert response.status_code == 200, (url, response.status_code)
            sizes.append(len(response.content))
            counts.append(counter.count)
        warm = [[] for _ in cases]
        cold = [[] for _ in cases]
        for timed, cold_run in ((warm, False), (cold, True)):
            for run in range(runs + 2):
                for timings, (_label, url, params, headers, change) in zip(
                    timed, cases, strict=True
                ):
                    if cold_run and isinstance(change, type):
                        bump([workspace_id], change)
                    elif cold_run:
                        change()
                    start = time.perf_counter()
                    client.get(url, params(run) if params else None, headers=headers)
                    if run >= 2:  # the first runs warm the process up
                        timings.append((time.perf_counter() - start) * 1000)
        return [
            (label, statistics.median(c), statistics.median(w), size, count)
            for (label, *_), c, w, size, count in zip(cases, cold, warm, sizes, counts, strict=True)
        ]

    def _pages(self, runs: int) -> str:
        """Every heavy page of a 300-persona workspace beside Django admin's
        changelist of the same personas: median time as a ratio, bytes, queries."""
        built = build_scale_workspace(300, slug="benchmark-scale-tmp")
        analyze()
        owner = built.owner
        owner.is_staff = owner.is_superuser = True
        owner.save(update_fields=["is_staff", "is_superuser"])
        slug = built.workspace.slug
        persona = Persona.objects.filter(workspace=built.workspace).order_by("pk").first()
        # What the page's what-if form sends: the fields of the rows it shows.
        shown = built.draft.members.order_by("persona__name", "pk")[:PERSONAS_SHOWN]
        members = list(shown.values_list("pk", "weight"))
        plan_url = f"/w/{slug}/plans/{built.draft.pk}/"
        new_day = NewDay()
        changed = _changes(built.draft, persona, new_day)

        def whatif(run: int) -> dict:
            return {
                "present_share": str(60 + run % 30),
                **{f"weight_{pk}": str(weight) for pk, weight in members},
                **{f"share_{pk}": "" for pk, _ in members},
            }

        cases = [
            ("admin changelist", f"/{settings.ADMIN_URL}personas/persona/?workspace__id__exact={built.workspace.pk}", None, {}, Experiment),
            ("dashboard", f"/w/{slug}/", None, {}, Experiment),
            ("experiment board", f"/w/{slug}/experiments/", None, {}, Experiment),
            ("plan page (draft)", plan_url, None, {}, Experiment),
            ("plan page (approved)", f"/w/{slug}/plans/{built.approved.pk}/", None, {}, Experiment),
            ("what-if answer (htmx)", plan_url, whatif, {"HX-Request": "true"}, Experiment),
            ("persona list", f"/w/{slug}/personas/", None, {}, Experiment),
            ("persona page", f"/w/{slug}/personas/{persona.pk}/", None, {}, Experiment),
            # The pace read again too: after a change to what it is computed from.
            ("dashboard, a mix changed", f"/w/{slug}/", None, {}, changed["mix"]),
            ("dashboard, a persona saved", f"/w/{slug}/", None, {}, changed["persona"]),
            ("dashboard, a draft saved", f"/w/{slug}/", None, {}, changed["draft"]),
            # Every persona's pace worked out again, her observations' figures kept.
            ("dashboard, a plan approved", f"/w/{slug}/", None, {}, changed["approval"]),
            ("dashboard, a channel renamed", f"/w/{slug}/", None, {}, changed["channel"]),
            # The page and the pace for a new day: the figures that hold kept.
            ("dashboard, a new day", f"/w/{slug}/", None, {}, changed["day"]),
            # Every persona's observations read again: a new day, a bulk write to mixes.
            ("dashboard, every mix read again", f"/w/{slug}/", None, {}, changed["every mix"]),
        ]  # fmt: skip
        del built
        client = Client()
        client.force_login(owner)
        gc.collect()
        gc.freeze()  # what is loaded by now stays, as the server does (pacekeeper.wsgi)
        try:
            with mock.patch.object(timezone, "localdate", new_day.today):
                rows = self._measure(client, cases, Workspace.objects.get(slug=slug).pk, runs)
        finally:
            gc.unfreeze()
        return self._table(rows)

    def _table(self, rows: list[tuple]) -> str:
        """The measured pages as a table, and the what-if against the plan page."""
        # Admin's changelist has no cache: its cold and warm runs are one sample.
        base = (rows[0][1] + rows[0][2]) / 2
        plan, whatif = rows[3], rows[5]
        lines = [
            "pages of a workspace of 300 personas × 10 channel usages (each observed three "
            "times), 500 experiments, two 300-persona plans, 2,000 actuals; median times, each "
            "also as a ratio to the admin changelist's; cold: the first read after a change (to "
            "an experiment; on the last rows, to a persona's channel mix, to the persona, to a "
            "draft plan, to a plan and its lines as an approval writes them, to a channel's name, "
            "to every persona's mix at once: the rows the dashboard's pace is computed from; or "
            "a new day), "
            "warm: read again; queries: the first read after a change of any kind",
            f"  {'page':<32}{'cold':>10}{'× admin':>9}{'warm':>10}{'× admin':>9}{'KB':>7}{'queries':>9}",
        ]
        for label, cold, warm, size, count in rows:
            lines.append(
                f"  {label:<32}{cold:>8.1f}ms{cold / base:>8.2f}×{warm:>8.1f}ms{warm / base:>8.2f}×"
                f"{size / 1024:>7.0f}{count:>9}"
            )
        lines.append(
            f"  what-if against the plan page: {whatif[3] * 100 / plan[3]:.1f} % of its bytes, "
            f"{whatif[2] / plan[2]:.2f}× its warm time, {whatif[1] / plan[1]:.2f}× its cold time; "
            f"a slider's later moves (the plan's reading kept, every figure recomputed) "
            f"{whatif[2] / plan[1]:.2f}× the page computed afresh"
        )
        return "\n".join(lines)

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

"""Every page of the site, on the demo data: the list the HTML checker and the
accessibility checks walk.

The pages are the access matrix's own (``EXPECTATIONS``, read from the URL
resolver), called with objects of the demo workspace, so a new page is judged
as soon as the matrix knows it. A few more addresses show states the matrix
does not name: the approved plan, each experiment's stage, the second workspace.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from tests.test_access_matrix import EXPECTATIONS, World

if TYPE_CHECKING:
    from workspaces.models import Workspace

# Downloads (CSV, Excel, JSON, PDF), answers to POST only, and what is not a page.
NOT_PAGES = {
    "healthz",
    "imports:template",
    "imports:job_download",
    "personas:export",
    "channels:mix_export",
    "experiments:export",
    "planning:actual_export",
    "planning:plan_export",
    "team:backup_export",
    "sharing:one_pager_pdf",
    "sharing:plan_pdf",
    "sharing:dashboard_pdf",
    "shared:pdf",
}


DOWNLOADS = (".csv", ".xlsx", ".pdf", ".json")


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    public: bool = False  # open to people who are not signed in


def demo_world() -> World:
    """Seed the demo workspace and name one of each object the matrix's URLs need."""
    from accounts.models import User
    from accounts.tokens import secret_hash, token_create
    from channels.models import Channel, ChannelUsage
    from experiments.models import Experiment, ExperimentResult
    from notifications.emails import unsubscribe_token
    from notifications.models import Notification
    from personas.models import ResearchNote
    from planning.models import Actual, Plan
    from sharing.services import share_link_create
    from workspaces.models import (
        ExportFile,
        ImportBatch,
        Invitation,
        Job,
        Membership,
        Workspace,
    )

    call_command("seed_demo", password=PASSWORD, stdout=io.StringIO())
    workspace = Workspace.objects.get(slug="northwind")
    people = {
        role: User.objects.get(email=email)
        for role, email in [
            ("owner", "owen@example.com"),
            ("marketer", "maya@example.com"),
            ("reviewer", "ravi@example.com"),
        ]
    }
    experiments = Experiment.objects.in_workspace(workspace)
    usage = ChannelUsage.objects.in_workspace(workspace).order_by("pk").first()
    persona = usage.persona
    plan = Plan.objects.in_workspace(workspace).filter(status="draft").order_by("pk").first()
    Invitation.objects.create(
        workspace=workspace,
        email="invitee@example.com",
        role="reviewer",
        token_hash=secret_hash("demo-invitation-token"),
        expires_at=timezone.now() + timedelta(days=7),
    )
    Invitation.objects.create(
        workspace=workspace,
        open_link=True,
        role="reviewer",
        token_hash=secret_hash("demo-open-link-token"),
        expires_at=timezone.now() + timedelta(days=7),
    )
    share_link, share_token = share_link_create(
        workspace=workspace, kind="persona", target=persona, by=people["marketer"]
    )
    experiment = experiments.filter(status="running").order_by("pk").first()
    large = _large_workspace(people)
    # One signal snoozed, so the dismissed list and the dashboard's link to it show.
    from planning.dashboard import build_dashboard
    from planning.services import signal_dismiss

    last = build_dashboard(workspace).signals[-1]
    signal_dismiss(
        workspace=workspace, key=last.key, kind=last.kind, text=last.text,
        fingerprint=last.fingerprint, mode="snooze-30", reason="Looked at it this week",
        user=people["marketer"],
    )  # fmt: skip
    return people | {
        "note": ResearchNote.objects.in_workspace(workspace).order_by("pk").first()
        or ResearchNote.objects.create(
            workspace=workspace, persona=persona, kind="interviews", summary="Ten interviews"
        ),
        "result": ExperimentResult.objects.in_workspace(workspace).order_by("pk").first()
        or ExperimentResult.objects.create(
            workspace=workspace, experiment=experiment, date=timezone.localdate(), value=3
        ),
        "marketer_membership": Membership.objects.get(workspace=workspace, user=people["marketer"]),
        "invitation": Invitation.objects.get(workspace=workspace, email="invitee@example.com"),
        "share_link": share_link,
        "owner_token": token_create(user=people["owner"], name="Looker")[0],
        "workspace": workspace,
        "persona": persona,
        "usage": usage,
        "channel": usage.channel,
        "other_channel": Channel.objects.in_workspace(workspace).exclude(pk=usage.channel_id)[0],
        "experiment": experiment,
        "adopted": experiments.filter(outcome="adopt").order_by("pk").first(),
        "plan": plan,
        "approved_plan": Plan.objects.in_workspace(workspace)
        .filter(status="approved")
        .order_by("-start")
        .first(),
        "actual": Actual.objects.in_workspace(workspace).order_by("pk").first(),
        "batch": ImportBatch.objects.create(
            workspace=workspace, kind="personas", filename="p.csv", rows=[{"name": "Imported"}]
        ),
        "notification": Notification.objects.create(
            workspace=workspace,
            recipient=people["owner"],
            kind="signal",
            title="An emerging channel past 16%",
            url=persona.get_absolute_url(),
            key="demo-page-walk",
        ),
        "unsubscribe_token": unsubscribe_token(people["reviewer"].pk, "digest"),
        "job": Job.objects.create(
            workspace=workspace, title="Import of personas", started_by=people["marketer"]
        ),
        "export_job": ExportFile.objects.create(
            workspace=workspace,
            job=Job.objects.create(
                workspace=workspace,
                title="Export of channel mix as XLSX (2,400 rows)",
                started_by=people["owner"],
                status="done",
                progress=100,
                message="northwind-channel-mix.xlsx is ready: 2,400 rows.",
            ),
            filename="northwind-channel-mix.xlsx",
            content_type="text/csv",
            data=b"persona,channel\n",
        ).job,
        "share_token": share_token,
        "large": large,
        "invitation_token": "demo-invitation-token",
        "open_link_token": "demo-open-link-token",
    }


def _large_workspace(people: dict) -> Workspace:
    """A workspace with more personas and experiments than a page shows, the demo
    people its members, so that paged and folded lists are judged too."""
    from experiments.models import Experiment
    from planning.scale import build_scale_workspace
    from workspaces.models import Membership

    workspace = build_scale_workspace(36, slug="large").workspace
    for role, user in people.items():
        Membership.objects.create(workspace=workspace, user=user, role=role)
    concluded = Experiment.objects.in_workspace(workspace).filter(status="concluded")
    concluded.filter(pk__in=list(concluded.values_list("pk", flat=True)[:4])).update(
        end_date=timezone.localdate() - timedelta(days=120)
    )
    return workspace


def site_pages(world: World) -> list[Page]:
    """Every page the access matrix opens with GET, plus the states it does not name."""
    pages = []
    for name, expect in sorted(EXPECTATIONS.items()):
        if "get" not in expect.methods or name in NOT_PAGES:
            continue
        url = reverse(name, kwargs=expect.kwargs(world)) + expect.query(world)
        if url.split("?")[0].endswith(DOWNLOADS):
            continue  # a spreadsheet, PDF or JSON document, not a page
        pages.append(Page(name, url, public=expect.access == "public"))
    slug = world["workspace"].slug
    approved = world["approved_plan"].pk
    pages += [
        Page("approved plan", reverse("planning:plan_detail", args=[slug, approved])),
        Page(
            "approved plan, every persona and row, lines open",
            reverse("planning:plan_detail", args=[slug, approved])
            + "?personas=all&rows=all&warnings=all&expand=1&expand=2",
        ),
        Page(
            "approved plan's dashboard",
            reverse("planning:dashboard", args=[slug]) + f"?plan={approved}",
        ),
        Page(
            "a finished export",
            reverse("imports:job", args=[slug, world["export_job"].pk]),
        ),
        Page("second workspace", "/w/bluebird-coffee/"),
        Page(
            "persona list, second page",
            reverse("personas:list", args=[world["large"].slug]) + "?sort=-priority&page=2",
        ),
        Page("board with full columns", reverse("experiments:board", args=[world["large"].slug])),
        Page(
            "experiment list, second page",
            reverse("experiments:table", args=[world["large"].slug]) + "?sort=title&page=2",
        ),
        Page(
            "experiments concluded long ago",
            reverse("experiments:table", args=[world["large"].slug]) + "?status=older",
        ),
        Page("not found", f"/w/{slug}/personas/999999/"),
    ]
    return pages

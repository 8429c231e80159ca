"""A plan and a plan's dashboard shared with people without an account, and
the same pages as PDFs for members."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from planning import services as plan_services
from sharing.models import ShareLink, ShareView
from tests.factories import (
    ActualFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    PersonaFactory,
    PlanFactory,
    ResearchNoteFactory,
)
from tests.sharing.conftest import pdf_pages, pdf_text, share
from tests.sharing.test_shared_page import Links, assert_private


@pytest.fixture
def plan(workspace, marketer):
    olivia = PersonaFactory(workspace=workspace, name="Operations Olivia", created_by=marketer)
    usage = ChannelUsageFactory(persona=olivia, channel__name="LinkedIn", share=60, trend="rising")
    ChannelUsageFactory(persona=olivia, channel__name="Trade shows", share=30, trend="declining")
    ExperimentFactory(
        workspace=workspace, title="Operations podcast", status="running", personas=[olivia]
    )
    plan = PlanFactory(workspace=workspace, name="Q4 2026", personas=[olivia], total_effort=1000)
    ActualFactory(plan=plan, channel=usage.channel, amount=120)
    return plan


def approve(plan, marketer, reviewer):
    plan_services.plan_submit(plan=plan, user=marketer, expected_version=plan.version)
    plan.refresh_from_db()
    plan_services.plan_approve(
        plan=plan, user=reviewer, expected_version=plan.version, comment="Looks right, Carol"
    )
    plan.refresh_from_db()


def test_a_draft_plan_is_shared_marked_as_a_draft(marketer_client, workspace, plan):
    path = share(marketer_client, workspace, "plan", plan)
    response = Client().get(path)
    assert response.status_code == 200
    assert_private(response)
    page = response.content.decode()
    assert "Q4 2026" in page and "Draft — not approved." in page
    assert "Operations Olivia" in page and "LinkedIn" in page and "Operations podcast" in page
    assert "1,000.00" in page  # the allocated total
    assert "What if?" not in page and "To fix" not in page


def test_an_approved_plan_says_so_and_names_no_one(
    marketer_client, workspace, plan, marketer, reviewer, owner
):
    approve(plan, marketer, reviewer)
    path = share(marketer_client, workspace, "plan", plan)
    page = Client().get(path).content.decode()
    assert "Approved on" in page and "These figures are fixed" in page
    assert "not approved" not in page
    for user in (owner, marketer, reviewer):
        assert user.name not in page and user.email not in page
    assert "Looks right" not in page  # review comments stay in the workspace


@pytest.mark.parametrize("kind", ["plan", "dashboard"])
def test_no_link_into_the_workspace_and_no_control(marketer_client, workspace, plan, kind):
    # Stale data and a rising channel with no experiment make signals and fixes
    # that link to places to act in the members' pages.
    ResearchNoteFactory(persona=plan.members.get().persona)
    path = share(marketer_client, workspace, kind, plan)
    page = Client().get(path).content.decode()
    parser = Links()
    parser.feed(page)
    # Only the page itself (a persona's lines opened, a table in full) and its PDF.
    own = (path + "?", path + "pdf/", "/static/")
    strays = [u for u in parser.urls if not u.startswith(own)]
    assert strays == []
    assert parser.controls == []
    assert f"/w/{workspace.slug}/" not in page


def test_the_dashboard_names_the_plan_and_the_date(marketer_client, workspace, plan):
    path = share(marketer_client, workspace, "dashboard", plan)
    page = Client().get(path).content.decode()
    assert "Dashboard · Northwind" in page and "<h1>Q4 2026</h1>" in page
    assert f"As of {timezone.localtime():%-d %b %Y}" in page
    assert "Are we keeping the split?" in page and "Experiments pipeline" in page
    assert "Operations podcast" in page  # a running experiment, by name only
    assert "Trade shows is declining for Operations Olivia" in page  # a signal, no link
    assert "Each one links to the place to act" not in page


def test_another_plan_of_the_workspace_is_not_offered(marketer_client, workspace, plan):
    PlanFactory(workspace=workspace, name="Secret next year")
    path = share(marketer_client, workspace, "dashboard", plan)
    page = Client().get(path).content.decode()
    assert "Secret next year" not in page


@pytest.mark.parametrize("kind", ["plan", "dashboard"])
def test_the_shared_pdf_is_counted(marketer_client, workspace, plan, kind):
    path = share(marketer_client, workspace, kind, plan)
    response = Client().get(path + "pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert_private(response)
    text = pdf_text(response.content)
    assert "Q4 2026" in text and "As of" in text and "Draft" in text
    assert pdf_pages(response.content) >= 1
    assert ShareView.objects.get().pdf and ShareLink.objects.get().view_count == 1


@pytest.mark.parametrize(
    ("name", "filename"), [("plan_pdf", "q4-2026"), ("dashboard_pdf", "q4-2026-dashboard")]
)
def test_members_download_the_plan_and_its_dashboard(
    reviewer_client, outsider_client, plan, name, filename
):
    url = reverse(f"sharing:{name}", args=[plan.workspace.slug, plan.pk])
    response = reviewer_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{filename}.pdf"'
    assert "Q4 2026" in pdf_text(response.content)
    assert outsider_client.get(url).status_code == 404


def test_the_plan_page_and_dashboard_offer_pdf_and_sharing(marketer_client, reviewer_client, plan):
    detail = marketer_client.get(plan.get_absolute_url()).content.decode()
    assert "Download PDF" in detail and "Share link to the plan…" in detail
    assert "Share link to its dashboard…" in detail
    dashboard = marketer_client.get(
        reverse("planning:dashboard", args=[plan.workspace.slug]) + f"?plan={plan.pk}"
    ).content.decode()
    assert reverse("sharing:dashboard_pdf", args=[plan.workspace.slug, plan.pk]) in dashboard
    assert "Share link…" in dashboard
    detail = reviewer_client.get(plan.get_absolute_url()).content.decode()
    assert "Download PDF" in detail and "Share link to the plan…" not in detail


@pytest.mark.parametrize("kind", ["plan", "dashboard"])
@pytest.mark.parametrize("size", [1, 12])
def test_shared_plan_query_count_is_fixed(
    workspace, marketer, kind, size, django_assert_num_queries
):
    from sharing.services import share_link_create

    personas = [PersonaFactory(workspace=workspace) for _ in range(size)]
    for persona in personas:
        ChannelUsageFactory(persona=persona, share=10)
        ExperimentFactory(workspace=workspace, status="running", personas=[persona])
    plan = PlanFactory(workspace=workspace, personas=personas)
    _, token = share_link_create(workspace=workspace, kind=kind, target=plan, by=marketer)
    # plan: savepoint, the link, the plan, its personas, their core usages, the
    # funded experiments, the actuals, the view recorded and counted, release.
    # dashboard: the same plus the plans to choose from and the personas; the
    # experiments with their latest results and targets are one read (the
    # pipeline, those meeting their targets, the funded ones and what counts as
    # explored), the active usages another, both shared by the plan's view and
    # the signals (the workspace's pace is not shared).
    expected = {"plan": 10, "dashboard": 12}[kind]
    with django_assert_num_queries(expected):
        assert Client().get(reverse("shared:page", args=[token])).status_code == 200


def test_a_large_shared_plan_shows_what_the_plan_page_shows(marketer, workspace):
    """Outside the workspace too, the page is bounded: the first personas, their
    lines on request and every row one plain link away; the PDF prints it all."""
    from planning.plan_page import PERSONAS_SHOWN
    from sharing.services import share_link_create

    personas = [PersonaFactory(workspace=workspace, name=f"Persona {i:02}") for i in range(25)]
    for persona in personas:
        ChannelUsageFactory(persona=persona, share=10)
    plan = PlanFactory(workspace=workspace, personas=personas)
    _, token = share_link_create(workspace=workspace, kind="plan", target=plan, by=marketer)
    path = reverse("shared:page", args=[token])
    page = Client().get(path).content.decode()
    assert f"Persona {PERSONAS_SHOWN - 1:02}" in page and f"Persona {PERSONAS_SHOWN:02}" not in page
    assert "Show all 25 personas" in page
    show_all = re.search(r'href="([^"]*personas=all[^"]*)"', page).group(1)
    assert show_all.startswith(path)
    everyone = Client().get(show_all.replace("&amp;", "&")).content.decode()
    assert all(f"Persona {i:02}" in everyone for i in range(25))
    assert "Show all 25 personas" not in everyone
    closed = page.count('class="line-row')
    opened = Client().get(path, {"expand": "1"}).content.decode()
    assert opened.count('class="line-row') > closed
    assert len(page) < len(everyone)

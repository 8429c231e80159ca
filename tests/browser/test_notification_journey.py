"""Journey: Maya submits a plan; Ravi's bell shows it, his inbox leads to the plan."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.factories import (
    PASSWORD,
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    MembershipFactory,
    PersonaFactory,
    PlanFactory,
    UserFactory,
)
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_maya_submits_and_ravis_bell_shows_it(new_page, workspace, width):
    maya = MembershipFactory(
        workspace=workspace,
        role="marketer",
        user=UserFactory(email="maya@example.com", name="Maya Marketer"),
    ).user
    ravi = MembershipFactory(
        workspace=workspace,
        role="reviewer",
        user=UserFactory(email="ravi@example.com", name="Ravi Reviewer"),
    ).user
    olivia = PersonaFactory(workspace=workspace, name="Operations Olivia", priority=3)
    ChannelUsageFactory(persona=olivia, channel=ChannelFactory(workspace=workspace), share=1)
    ExperimentFactory(workspace=workspace, status="running", personas=[olivia])
    plan = PlanFactory(
        workspace=workspace,
        name="Q1 2027 plan",
        personas=[olivia],
        total_effort=Decimal(1000),
        created_by=maya,
    )
    size = "desktop" if width > 400 else "phone"

    ravis = new_page((width, 860))
    sign_in(ravis, ravi.email, PASSWORD)
    ravis.goto(f"/w/{workspace.slug}/")
    expect(ravis.get_by_role("link", name="Inbox: 0 unread")).to_be_visible()

    mayas = new_page((width, 860))
    sign_in(mayas, maya.email, PASSWORD)
    mayas.goto(plan.get_absolute_url())
    mayas.get_by_role("button", name="Submit for review").click()
    expect(mayas.locator(".badge-plan-in_review").first).to_be_visible()

    ravis.reload()
    bell = ravis.get_by_role("link", name="Inbox: 1 unread")
    expect(bell).to_be_visible()
    expect(bell.locator(".bell-count")).to_have_text("1")
    screenshot(ravis, f"notification-bell-{size}")
    bell.click()
    expect(ravis.get_by_role("heading", level=1, name="Inbox")).to_be_visible()
    item = ravis.get_by_role("link", name="Maya Marketer submitted Q1 2027 plan for review")
    expect(item).to_be_visible()
    assert not ravis.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    screenshot(ravis, f"notification-inbox-{size}")
    item.click()
    expect(ravis.get_by_role("heading", level=1, name="Q1 2027 plan")).to_be_visible()
    expect(ravis.get_by_role("link", name="Inbox: 0 unread")).to_be_visible()

    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [["ravi@example.com"]]
    assert mayas.errors == [] and ravis.errors == []

"""Journey: draft a plan, try 70 / 30 live, save, submit; a reviewer approves."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.factories import (
    PASSWORD,
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    PersonaFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_plan_whatif_submit_and_approve(new_page, marketer, reviewer, workspace):
    olivia = PersonaFactory(workspace=workspace, name="Operations Olivia", priority=3)
    dan = PersonaFactory(workspace=workspace, name="Digital Dan", priority=1)
    for persona in (olivia, dan):
        ChannelUsageFactory(persona=persona, channel=ChannelFactory(workspace=workspace), share=1)
        ExperimentFactory(workspace=workspace, status="running", personas=[persona])

    page = new_page()
    sign_in(page, marketer.email, PASSWORD)
    page.goto(f"/w/{workspace.slug}/plans/")
    page.get_by_role("link", name="New plan").first.click()
    page.get_by_label("Name").fill("Q1 2027 plan")
    page.get_by_label("Start").fill("2027-01-01")
    page.get_by_label("End").fill("2027-03-31")
    page.get_by_label("Total effort (hours)").fill("1000")
    screenshot(page, "plan-create")
    page.get_by_role("button", name="Draft the plan").click()
    expect(page.get_by_role("heading", level=1, name="Q1 2027 plan")).to_be_visible()

    present = page.locator("#h-present").locator("xpath=..").locator(".stat-value")
    future = page.locator("#h-future").locator("xpath=..").locator(".stat-value")
    expect(present).to_have_text("800.00")
    expect(future).to_have_text("200.00")
    page.evaluate("window.__stillHere = true")
    page.get_by_label("Present / future").fill("70")
    expect(present).to_have_text("700.00")
    expect(future).to_have_text("300.00")
    expect(page.get_by_text("Trying 70 / 30")).to_be_visible()
    expect(page.locator("#ratio-output")).to_have_text("70 / 30")
    assert page.evaluate("window.__stillHere") is True
    screenshot(page, "plan-whatif-70-30")

    page.get_by_role("button", name="Save ratios").click()
    expect(page.get_by_text("Ratios and weights saved.")).to_be_visible()
    expect(present).to_have_text("700.00")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("is submitted for review")).to_be_visible()
    assert page.errors == []

    manager = new_page()
    sign_in(manager, reviewer.email, PASSWORD)
    manager.goto(page.url)
    expect(manager.get_by_text("In review.")).to_be_visible()
    screenshot(manager, "plan-in-review")
    manager.get_by_placeholder(re.compile("A comment for the team")).fill("Good balance.")
    manager.get_by_role("button", name="Approve").click()
    expect(manager.get_by_text("is approved")).to_be_visible()
    expect(manager.locator("#h-present").locator("xpath=..").locator(".stat-value")).to_have_text(
        "700.00"
    )
    screenshot(manager, "plan-approved")
    assert manager.errors == []


def test_a_large_plan_opens_a_persona_and_follows_the_slider(new_page, workspace):
    """A 30-persona plan shows its first rows; a persona's lines open in place
    with focus kept on the control; the slider's answer updates her figures and
    her open lines without closing them; all of it at phone width too."""
    from planning.scale import build_scale_workspace

    built = build_scale_workspace(30, slug="large-plan")
    owner = built.owner
    owner.set_password(PASSWORD)
    owner.save()
    for viewport in [(1280, 860), (390, 844)]:
        page = new_page(viewport=viewport)
        sign_in(page, owner.email, PASSWORD)
        page.goto(built.draft.get_absolute_url())
        expect(page.locator(".persona-row")).to_have_count(20)
        expect(page.locator(".line-row")).to_have_count(0)
        toggle = page.locator("#lines-toggle-2")
        toggle.click()
        expect(page.locator("#persona-2 .line-row").first).to_be_visible()
        expect(page.locator("#lines-toggle-2")).to_be_focused()
        expect(page.locator("#lines-toggle-2")).to_have_attribute("aria-expanded", "true")
        lines = page.locator("#persona-2 .line-row").count()
        assert lines >= 10
        amount = page.locator("#p2-a strong")
        before = amount.inner_text()
        page.get_by_label("Present / future").fill("55")
        expect(page.get_by_text("Trying 55 / 45")).to_be_visible()
        expect(amount).to_have_text(before)  # her part of the plan is her weight's
        expect(page.locator("#p2-r .present-text")).to_have_text("55")
        expect(page.locator("#persona-2 .line-row")).to_have_count(lines)
        expect(page.locator("#persona-3 .line-row")).to_have_count(0)
        page.locator("#lines-toggle-2").click()
        expect(page.locator("#persona-2 .line-row")).to_have_count(0)
        expect(page.locator("#lines-toggle-2")).to_be_focused()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport[0], f"the page scrolls sideways at {viewport[0]} px: {width}"
        screenshot(page, f"plan-large-{viewport[0]}")
        assert page.errors == []

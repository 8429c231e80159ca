"""Journeys: a manager sets 70 / 30, sees what the plan allocates and why, and
balances it to the headline; the plan prints its allocation."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from planning.models import Plan
from tests.browser.conftest import screenshot, sign_in
from tests.factories import (
    PASSWORD,
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    PersonaFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _plan(workspace):
    """1,000 h at 80 / 20 over Ana (weight 4, follows the plan) and Ben (weight 1,
    his own 90 / 10). At a 70 / 30 headline: 0.8 × 70 + 0.2 × 90 = 74 / 26."""
    webinars = ChannelFactory(workspace=workspace, name="Webinars")
    ana = PersonaFactory(workspace=workspace, name="Analyst Ana", priority=4)
    ben = PersonaFactory(
        workspace=workspace, name="Buyer Ben", priority=1, present_share_override=90
    )
    for persona in (ana, ben):
        ChannelUsageFactory(persona=persona, channel=webinars)
        ExperimentFactory(workspace=workspace, status="running", personas=[persona])
    return PlanFactory(workspace=workspace, name="Q1 2027 plan", personas=[ana, ben], total_effort=1000, present_share=80)  # fmt: skip


def test_a_manager_sets_70_30_and_balances_to_it(new_page, marketer, workspace):
    plan = _plan(workspace)
    for viewport in ((390, 844), (1280, 860)):
        page = new_page(viewport)
        sign_in(page, marketer.email, PASSWORD)
        page.goto(plan.get_absolute_url())
        source = page.locator("#split-source")
        expect(source).to_contain_text(
            "Plan 80 / 20 · allocated 82 / 18 because 1 persona uses its own ratio"
        )
        page.get_by_label("Present / future").fill("70")
        expect(source).to_contain_text(
            "Plan 70 / 30 · allocated 74 / 26 because 1 persona uses its own ratio"
        )
        if viewport[0] == 390:
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            screenshot(page, "plan-balance-before-390")
            continue
        screenshot(page, "plan-balance-before")
        page.get_by_role("button", name="Balance to the headline").click()
        expect(page.get_by_text("Balanced: Q1 2027 plan allocates 70.00 / 30.00")).to_be_visible()
        expect(page.locator(".allocated-exact")).to_have_text("70.00 / 30.00")
        expect(source).to_contain_text(
            "Plan 70 / 30 · allocated 70 / 30: 1 persona balanced to the headline"
        )
        screenshot(page, "plan-balance-after")
        assert page.errors == []
    saved = Plan.objects.get(pk=plan.pk)
    assert (saved.present_share, saved.balanced) == (70, True)


def test_the_plan_prints_its_allocation(new_page, reviewer, workspace):
    plan = _plan(workspace)
    page = new_page()
    sign_in(page, reviewer.email, PASSWORD)
    page.goto(plan.get_absolute_url())
    page.emulate_media(media="print")
    expect(page.locator("#h-lines")).to_be_visible()  # the allocation is not hidden with the form
    expect(page.locator(".print-stamp")).to_be_visible()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages)
    assert "Allocation" in text and "Analyst Ana" in text and "Webinars" in text
    assert "Q1 2027 plan · Draft · " in text and "gures as of" in text  # "fi" is one glyph
    assert "Per channel" in text and "Total" in text

"""Journey: a marketer snoozes a signal in place, undoes it, dismisses it and
restores it from the dismissed list; a reviewer sees the list and cannot act."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_every_page import axe_findings
from tests.factories import (
    PASSWORD,
    ChannelFactory,
    ChannelUsageFactory,
    PersonaFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

EMERGING = "TikTok already holds 25% of Farah's mix"


def _world(workspace):
    farah = PersonaFactory(workspace=workspace, name="Farah")
    PlanFactory(workspace=workspace, name="Q1 plan", personas=[farah])
    ChannelUsageFactory(persona=farah, channel=ChannelFactory(workspace=workspace), share=75)
    ChannelUsageFactory(
        persona=farah,
        channel=ChannelFactory(workspace=workspace, name="TikTok"),
        share=25,
        stage="emerging",
    )


@pytest.mark.parametrize("viewport", [(1280, 860), (390, 844)])
def test_marketer_snoozes_undoes_dismisses_and_restores(new_page, marketer, workspace, viewport):
    _world(workspace)
    page = new_page(viewport)
    sign_in(page, marketer.email, PASSWORD)
    signal = page.locator(".dash-signal", has_text=EMERGING)
    signal.locator("summary").click()
    expect(signal.get_by_label("Snoozed for 30 days")).to_be_checked()
    assert axe_findings(page) == []
    screenshot(page, f"signal-dismiss-open-{viewport[0]}")
    signal.get_by_label("Snoozed for 90 days").check()
    signal.get_by_label(re.compile("Why")).fill("Waiting for the survey")
    signal.get_by_role("button", name="Set aside").click()

    notice = page.locator("#signals-notice")
    expect(notice).to_contain_text("Snoozed for 90 days: “" + EMERGING)
    expect(notice).to_be_focused()
    expect(page.locator(".dash-signal", has_text=EMERGING)).to_have_count(0)
    expect(page.get_by_role("link", name="1 signal dismissed or snoozed")).to_be_visible()
    screenshot(page, f"signal-snoozed-{viewport[0]}")

    notice.get_by_role("button", name="Undo").click()
    expect(page.locator("#signals-notice")).to_contain_text("Back on the dashboard")
    expect(page.locator("#signals-notice")).to_be_focused()
    signal = page.locator(".dash-signal", has_text=EMERGING)
    expect(signal).to_have_count(1)

    # Escape closes the form and gives focus back to its button.
    signal.locator("summary").click()
    page.keyboard.press("Escape")
    expect(signal.locator("summary")).to_be_focused()
    expect(signal.get_by_role("button", name="Set aside")).to_be_hidden()

    signal.locator("summary").click()
    signal.get_by_label("Dismissed", exact=True).check()
    signal.get_by_role("button", name="Set aside").click()
    expect(page.locator("#signals-notice")).to_contain_text("Dismissed: “")
    page.get_by_role("link", name="1 signal dismissed or snoozed").click()
    expect(page.get_by_role("heading", level=1, name="Dismissed signals")).to_be_visible()
    expect(page.get_by_text(EMERGING)).to_be_visible()
    assert axe_findings(page) == []
    screenshot(page, f"signals-dismissed-{viewport[0]}")
    page.get_by_role("button", name=re.compile("^Restore")).click()
    expect(page.get_by_text("No signal is set aside")).to_be_visible()
    assert page.errors == []


def test_without_javascript_the_forms_still_work(chromium, live_server, marketer, workspace):
    _world(workspace)
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, marketer.email, PASSWORD)
    signal = page.locator(".dash-signal", has_text=EMERGING)
    signal.locator("summary").click()
    signal.get_by_label(re.compile("Why")).fill("Planned next quarter")
    signal.get_by_role("button", name="Set aside").click()
    expect(page.get_by_text("Snoozed for 30 days: “" + EMERGING)).to_be_visible()
    expect(page.locator(".dash-signal", has_text=EMERGING)).to_have_count(0)
    context.close()


def test_reviewer_sees_the_list_and_no_buttons(page, marketer, reviewer, workspace):
    _world(workspace)
    from planning.dashboard import build_dashboard
    from planning.services import signal_dismiss

    signal = next(s for s in build_dashboard(workspace).signals if s.text.startswith(EMERGING))
    signal_dismiss(
        workspace=workspace, key=signal.key, kind=signal.kind, text=signal.text,
        fingerprint=signal.fingerprint, mode="until-changed", reason="", user=marketer,
    )  # fmt: skip
    sign_in(page, reviewer.email, PASSWORD)
    expect(page.locator(".signal-dismiss")).to_have_count(0)
    page.goto(reverse("planning:signals_dismissed", args=[workspace.slug]))
    expect(page.get_by_text("Until its data changes")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Restore"))).to_have_count(0)

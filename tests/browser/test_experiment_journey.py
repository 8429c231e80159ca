"""Journey: create an experiment, record two results, conclude as adopt, graduate."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, ChannelFactory, PersonaFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_from_idea_to_graduation(page, marketer, workspace):
    ChannelFactory(workspace=workspace, name="TikTok")
    farah = PersonaFactory(workspace=workspace, name="Founder Farah")
    sign_in(page, marketer.email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Experiments").click()
    expect(page.get_by_text("No experiments yet")).to_be_visible()
    page.get_by_role("link", name="New experiment").first.click()

    page.get_by_label("Title").fill("TikTok explainer series")
    page.get_by_label("Starts as").select_option("running")
    page.get_by_label("Channel", exact=True).select_option(label="TikTok")
    page.get_by_label("Founder Farah").check()
    page.get_by_label("Behaviour (for the hypothesis)").fill("watch 60-second explainers")
    page.get_by_label("Metric name").fill("weekly profile visits")
    page.get_by_label("Baseline").fill("40")
    page.locator("#id_target").fill("250")
    page.get_by_role("button", name="Write it from the template").click()
    expect(page.get_by_label("Hypothesis", exact=True)).to_have_value(
        "We believe Founder Farah will watch 60-second explainers on TikTok; we will know when weekly profile visits reaches 250."
    )
    screenshot(page, "experiment-create")
    page.get_by_role("button", name="Create experiment").click()
    expect(page.get_by_role("heading", level=1, name="TikTok explainer series")).to_be_visible()

    page.evaluate("window.__stillHere = true")
    for day, value in [("2026-10-01", "120"), ("2026-11-01", "260")]:
        page.get_by_label("Date").fill(day)
        page.get_by_label("Value").fill(value)
        page.get_by_role("button", name="Record result").click()
        expect(page.locator("#results").get_by_text(value, exact=True)).to_be_visible()
    expect(page.get_by_text("100% of the way to target")).to_be_visible()
    assert page.evaluate("window.__stillHere") is True
    screenshot(page, "experiment-detail-results")

    page.get_by_role("link", name="Conclude…").click()
    page.get_by_label("Adopt").check()
    page.get_by_label("Learnings").fill(
        "Founders watch to the end; profile visits beat the target."
    )
    page.get_by_role("button", name="Conclude").click()
    expect(page.get_by_text("Adopted.")).to_be_visible()
    page.get_by_role("link", name="Graduate…").first.click()
    page.get_by_label("Founder Farah").fill("20")
    screenshot(page, "experiment-graduate")
    page.get_by_role("button", name="Graduate").click()
    expect(page.get_by_text("TikTok is now a core channel of Founder Farah.")).to_be_visible()

    page.goto(farah.get_absolute_url())
    mix = page.locator("#section-mix")
    expect(mix.get_by_role("link", name="TikTok", exact=True)).to_be_visible()
    expect(mix.locator("tr").filter(has_text="TikTok").get_by_text("Experiment")).to_be_visible()
    expect(
        page.locator("#section-experiments").get_by_text("TikTok explainer series")
    ).to_be_visible()
    screenshot(page, "persona-after-graduation")
    assert page.errors == []


def test_board_moves_in_place(page, marketer, workspace):
    from tests.factories import ExperimentFactory

    ExperimentFactory(workspace=workspace, title="Webinar pilot", status="idea")
    sign_in(page, marketer.email, PASSWORD)
    page.goto(f"/w/{workspace.slug}/experiments/")
    page.evaluate("window.__stillHere = true")
    page.get_by_role("button", name="Move “Webinar pilot” to planned").click()
    expect(
        page.locator("#col-planned").locator("xpath=..").get_by_role("link", name="Webinar pilot")
    ).to_be_visible()
    assert page.evaluate("window.__stillHere") is True
    screenshot(page, "experiment-board")

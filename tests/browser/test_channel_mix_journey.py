"""Journey: add two channels to a persona, change a share, watch the mix update."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, ChannelFactory, PersonaFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_add_channels_and_change_a_share_in_place(page, marketer, workspace):
    ChannelFactory(workspace=workspace, name="Podcasts", category="content")
    ChannelFactory(workspace=workspace, name="LinkedIn")
    persona = PersonaFactory(workspace=workspace, name="Founder Farah")
    sign_in(page, marketer.email, PASSWORD)
    page.goto(persona.get_absolute_url())
    page.evaluate("window.__stillHere = true")
    mix = page.locator("#section-mix")
    expect(mix.get_by_text("No channels recorded yet")).to_be_visible()

    # The add form is open on an empty mix.
    mix.get_by_label("Channel (1)", exact=True).select_option(label="Podcasts")
    mix.get_by_label("Share (1)").fill("3")
    mix.get_by_role("button", name="Add to the mix").click()
    expect(mix.get_by_role("link", name="Podcasts", exact=True)).to_be_visible()

    # The form stays open for the next one, its first field focused.
    expect(mix.get_by_label("Channel (1)", exact=True)).to_be_focused()
    mix.get_by_label("Channel (1)", exact=True).select_option(label="LinkedIn")
    mix.get_by_label("Share (1)").fill("1")
    mix.get_by_label("Stage (1)").select_option("emerging")
    mix.get_by_role("button", name="Add to the mix").click()
    expect(mix.get_by_role("link", name="LinkedIn", exact=True)).to_be_visible()
    expect(mix.locator("tr").filter(has_text="Podcasts").get_by_text("75.0%")).to_be_visible()
    expect(mix.locator("tr").filter(has_text="LinkedIn").get_by_text("25.0%")).to_be_visible()
    screenshot(page, "persona-mix-two-channels")

    # Change a share: the percentages and the bar follow, no reload.
    share = mix.get_by_label("Share of LinkedIn")
    share.fill("3")
    share.press("Enter")
    expect(mix.locator("tr").filter(has_text="LinkedIn").get_by_text("50.0%")).to_be_visible()
    expect(mix.locator("tr").filter(has_text="Podcasts").get_by_text("50.0%")).to_be_visible()
    expect(mix.get_by_text("Emerging — where they are going: 50%")).to_be_visible()
    assert page.evaluate("window.__stillHere") is True

    # Promote the emerging channel to core.
    mix.get_by_role("button", name="Promote LinkedIn to core").click()
    expect(mix.get_by_text("Core — where they are: 100%")).to_be_visible()
    assert page.evaluate("window.__stillHere") is True
    screenshot(page, "persona-mix-after-edit")
    assert page.errors == []


def test_a_refused_share_shows_beside_the_row(page, marketer, workspace):
    channel = ChannelFactory(workspace=workspace, name="Podcasts")
    persona = PersonaFactory(workspace=workspace, name="Founder Farah")
    from tests.factories import ChannelUsageFactory

    ChannelUsageFactory(persona=persona, channel=channel, share=10)
    sign_in(page, marketer.email, PASSWORD)
    page.goto(persona.get_absolute_url())
    share = page.get_by_label("Share of Podcasts")
    share.fill("-4")
    share.press("Enter")
    expect(page.locator("#section-mix").get_by_text("greater than or equal to 0")).to_be_visible()
    screenshot(page, "persona-mix-error")


def test_several_channels_in_one_form_an_error_beside_its_row(page, marketer, workspace):
    for name in ["LinkedIn", "Podcasts", "Trade shows"]:
        ChannelFactory(workspace=workspace, name=name)
    persona = PersonaFactory(workspace=workspace, name="Founder Farah")
    sign_in(page, marketer.email, PASSWORD)
    page.goto(persona.get_absolute_url())
    mix = page.locator("#section-mix")
    mix.get_by_label("Channel (1)", exact=True).select_option(label="LinkedIn")
    mix.get_by_label("Share (1)").fill("5")
    mix.get_by_label("Channel (2)", exact=True).select_option(label="Trade shows")
    mix.get_by_label("Share (2)").fill("-3")
    mix.get_by_label("or a new one (3)").fill("TikTok")
    mix.get_by_label("Share (3)").fill("2")
    mix.get_by_label("Stage (3)").select_option("emerging")
    mix.get_by_role("button", name="Another row").click()
    # A fourth row, focused; the three keep what was typed.
    expect(mix.get_by_label("Channel (4)", exact=True)).to_be_focused()
    expect(mix.get_by_label("or a new one (3)")).to_have_value("TikTok")
    mix.get_by_label("Channel (4)", exact=True).select_option(label="Podcasts")
    mix.get_by_label("Share (4)").fill("1")
    mix.get_by_role("button", name="Add to the mix").click()

    # Refused: the error beside row 2, which takes focus; nothing saved.
    share = mix.get_by_label("Share (2)")
    expect(share).to_be_focused()
    expect(mix.get_by_text("greater than or equal to 0")).to_be_visible()
    expect(mix.get_by_text("No channels recorded yet")).to_be_visible()
    expect(mix.get_by_label("Share (4)")).to_have_value("1")
    screenshot(page, "persona-mix-rows-error")
    share.fill("3")
    mix.get_by_role("button", name="Add to the mix").click()
    for name in ["LinkedIn", "Trade shows", "TikTok", "Podcasts"]:
        expect(mix.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(mix.get_by_text("Emerging — where they are going: 18%")).to_be_visible()
    expect(mix.get_by_label("Channel (1)", exact=True)).to_be_focused()
    screenshot(page, "persona-mix-rows-added")
    # The refusal's 422 is logged by the browser; nothing else went wrong.
    assert [e for e in page.errors if "status of 422" not in e] == []

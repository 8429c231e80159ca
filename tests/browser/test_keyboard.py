"""By keyboard alone: in-place edits, the what-if slider and the experiment board.
Focus never drops to the page body, Escape cancels an edit, and each result is
read out in the polite live region."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import (
    PASSWORD,
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    PersonaFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def focused(page) -> dict:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {tag: e.tagName, id: e.id, name: e.getAttribute('name'),"
        " text: (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 80)}; }"
    )


def test_section_edit_by_keyboard(page, marketer, workspace):
    persona = PersonaFactory(workspace=workspace, name="Operations Olivia")
    sign_in(page, marketer.email, PASSWORD)
    page.goto(persona.get_absolute_url())
    edit = page.get_by_role("link", name="Edit goals and pains")
    edit.focus()
    page.keyboard.press("Enter")
    goals = page.get_by_label("Goals", exact=True)
    expect(goals).to_be_focused()
    expect(page.locator("#live-region")).to_contain_text("Editing")

    # Escape cancels: nothing saved, focus back on the section's Edit button.
    page.keyboard.type("Never saved")
    page.keyboard.press("Escape")
    expect(page.get_by_role("link", name="Edit goals and pains")).to_be_focused()
    expect(page.locator("#section-goals")).not_to_contain_text("Never saved")

    # Save by keyboard: focus returns to the Edit button and the result is announced.
    page.keyboard.press("Enter")
    expect(goals).to_be_focused()
    page.keyboard.type("Cut late deliveries below 2%")
    page.locator("#section-goals").get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#section-goals")).to_contain_text("Cut late deliveries below 2%")
    expect(page.get_by_role("link", name="Edit goals and pains")).to_be_focused()
    expect(page.locator("#live-region")).to_contain_text("saved")

    # An invalid save keeps the form open with focus on the field in error.
    page.get_by_role("link", name="Edit adoption and ratio").focus()
    page.keyboard.press("Enter")
    # The opened form has settled (its first field focused) before it is used.
    expect(page.locator("#section-adoption").get_by_label("Adoption stage")).to_be_focused()
    page.get_by_label("Own present share").fill("101")
    page.locator("#section-adoption").get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Own present share")).to_be_focused()
    expect(page.locator("#live-region")).to_contain_text("Not saved")
    assert [e for e in page.errors if "status of 422" not in e] == []


def test_mix_row_edit_returns_focus_to_its_edit_button(page, marketer, workspace):
    persona = PersonaFactory(workspace=workspace, name="Operations Olivia")
    usage = ChannelUsageFactory(
        persona=persona, channel=ChannelFactory(workspace=workspace, name="LinkedIn")
    )
    sign_in(page, marketer.email, PASSWORD)
    page.goto(persona.get_absolute_url())
    page.get_by_role("link", name="Edit LinkedIn").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#usage-{usage.pk}.row-editing")).to_be_visible()
    assert focused(page)["tag"] in ("INPUT", "SELECT")
    page.keyboard.press("Escape")
    expect(page.get_by_role("link", name="Edit LinkedIn")).to_be_focused()
    assert page.errors == []


def test_slider_by_keyboard(page, marketer, workspace):
    olivia = PersonaFactory(workspace=workspace, name="Operations Olivia")
    ChannelUsageFactory(
        persona=olivia, channel=ChannelFactory(workspace=workspace, name="LinkedIn")
    )
    plan = PlanFactory(workspace=workspace, name="Q1 plan", personas=[olivia], present_share=80)
    sign_in(page, marketer.email, PASSWORD)
    page.goto(plan.get_absolute_url())
    slider = page.get_by_role("slider", name="Present / future")
    slider.focus()
    for _ in range(10):
        page.keyboard.press("ArrowLeft")
    expect(page.locator("#ratio-output")).to_have_text("70 / 30")
    expect(page.locator("#allocation")).to_contain_text("Trying 70 / 30")
    expect(slider).to_be_focused()
    assert page.errors == []


def test_board_move_keeps_focus_on_the_card(page, marketer, workspace):
    persona = PersonaFactory(workspace=workspace, name="Operations Olivia")
    idea = ExperimentFactory(
        workspace=workspace, title="Webinar pilot", status="idea", personas=[persona]
    )
    sign_in(page, marketer.email, PASSWORD)
    page.goto(f"/w/{workspace.slug}/experiments/")
    page.get_by_role("button", name="Move “Webinar pilot” to planned").focus()
    page.keyboard.press("Enter")
    card = page.locator(f"#experiment-{idea.pk}")
    expect(
        page.locator(".board-planned, [data-status=planned]").locator(f"#experiment-{idea.pk}")
    ).to_be_visible()
    expect(card).to_be_focused()
    expect(page.locator("#live-region")).to_contain_text("saved")
    # The next move is one Tab away from the card.
    page.keyboard.press("Tab")
    assert focused(page)["tag"] == "A"
    assert page.errors == []

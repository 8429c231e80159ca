"""Journey: create a persona, edit its goals in place, search for it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, PersonaFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_create_edit_in_place_and_search(page, marketer, workspace):
    PersonaFactory(workspace=workspace, name="Digital Dan", role_title="Marketing director")
    sign_in(page, marketer.email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Personas").click()
    screenshot(page, "personas-list")
    page.get_by_role("link", name="New persona").click()
    page.get_by_label("Name").fill("Operations Olivia")
    page.get_by_label("Role or title").fill("Head of Operations")
    page.get_by_label("Segment or industry").fill("Logistics")
    page.get_by_label("Adoption stage").select_option("late_majority")
    screenshot(page, "persona-create")
    page.get_by_role("button", name="Create persona").click()
    expect(page.get_by_role("heading", level=1, name="Operations Olivia")).to_be_visible()
    expect(page.get_by_text("Late majority: 85 / 15 suggested")).to_be_visible()

    # Edit goals in place: the page must not reload.
    page.evaluate("window.__stillHere = true")
    page.get_by_role("link", name="Edit goals and pains").click()
    goals = page.get_by_label("Goals", exact=True)
    expect(goals).to_be_visible()
    screenshot(page, "persona-edit-goals")
    goals.fill("Cut late deliveries below 2%\nOne view of the week's orders")
    page.get_by_label("Challenges and pains").fill("Data spread over spreadsheets")
    page.locator("#section-goals").get_by_role("button", name="Save").click()
    section = page.locator("#section-goals")
    expect(
        section.get_by_role("listitem").filter(has_text="Cut late deliveries below 2%")
    ).to_be_visible()
    expect(
        section.get_by_role("listitem").filter(has_text="One view of the week's orders")
    ).to_be_visible()
    assert page.evaluate("window.__stillHere") is True
    screenshot(page, "persona-detail-after-edit")

    # Cancel returns the section unchanged, still without a reload.
    page.get_by_role("link", name="Edit empathy map").click()
    page.get_by_label("Says").fill("Never saved")
    page.locator("#section-empathy").get_by_role("link", name="Cancel").click()
    expect(
        page.locator("#section-empathy").get_by_text("What do they say out loud?")
    ).to_be_visible()
    assert page.evaluate("window.__stillHere") is True

    # Live search.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Personas").click()
    cards = page.locator(".persona-card")
    expect(cards).to_have_count(2)
    page.evaluate("window.__stillHere = true")
    page.get_by_label("Search").fill("olivia")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Operations Olivia")
    expect(page).to_have_url(re.compile(r"[?&]q=olivia"))
    assert page.evaluate("window.__stillHere") is True
    screenshot(page, "personas-search")
    page.get_by_label("Search").fill("nobody-like-this")
    expect(page.get_by_text("No personas match")).to_be_visible()
    assert page.errors == []


def test_edit_form_errors_show_beside_the_field(page, marketer, workspace):
    persona = PersonaFactory(workspace=workspace, name="Founder Farah")
    sign_in(page, marketer.email, PASSWORD)
    page.goto(persona.get_absolute_url())
    page.get_by_role("link", name="Edit adoption and ratio").click()
    page.get_by_label("Own present share").fill("101")
    page.locator("#section-adoption").get_by_role("button", name="Save").click()
    expect(page.locator("#field-present_share_override")).to_contain_text(
        "less than or equal to 100"
    )
    expect(page.get_by_label("Own present share")).to_have_value("101")
    screenshot(page, "persona-edit-error")

"""Long lists on a phone: "Load more" adds the next personas in place, focus on
the first new card and its arrival read out, and nothing scrolls sideways."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from personas.views import PAGE_SIZE
from planning.scale import build_scale_workspace
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = (390, 844)


@pytest.fixture
def scale(db):
    built = build_scale_workspace(60, slug="large")
    built.owner.set_password(PASSWORD)
    built.owner.save()
    return built


def test_load_more_on_a_phone_moves_focus_to_the_first_new_card(new_page, scale):
    page = new_page(PHONE)
    sign_in(page, scale.owner.email, PASSWORD)
    page.goto(reverse("personas:list", args=[scale.workspace.slug]) + "?sort=-priority")
    cards = page.locator("#persona-cards .persona-card")
    expect(cards).to_have_count(PAGE_SIZE)
    expect(page.get_by_text("60 personas")).to_be_visible()
    page.evaluate("window.__stillHere = true")
    more = page.get_by_role("link", name="Load more personas")
    more.focus()
    page.keyboard.press("Enter")
    expect(cards).to_have_count(2 * PAGE_SIZE)
    first_new = cards.nth(PAGE_SIZE)
    expect(first_new).to_be_focused()
    expect(page.locator("#live-region")).to_have_text("Personas 25 to 48 of 60 added.")
    expect(page.locator("#persona-pager")).to_contain_text("Page 2 of 3")
    assert page.evaluate("window.__stillHere") is True  # appended, not reloaded
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    # The sort holds: the new cards carry on down the priorities.
    first_new_name = first_new.locator("h2").inner_text()
    assert page.locator("#persona-cards h2").all_inner_texts().count(first_new_name) == 1
    screenshot(page, "persona-list-load-more-390")
    page.get_by_role("link", name="Load more personas").click()
    expect(cards).to_have_count(60)
    expect(cards.nth(2 * PAGE_SIZE)).to_be_focused()
    expect(page.get_by_role("link", name="Load more personas")).to_have_count(0)
    assert page.errors == []

"""The in-place edit states, opened as the roles that may open them: each
persona section's edit form, the mix's row edit and add form, the research
note form, the plan's what-if with a line changed and with a line refused.
No serious or critical axe-core finding in any, at 390 and 1280 px, and no
sideways scroll on the phone. A reviewer is offered none of them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_every_page import DEMO_LOGINS, axe_findings, scroll_width
from tests.factories import PASSWORD
from tests.pages import demo_world

pytestmark = pytest.mark.django_db(transaction=True)

SECTIONS = {
    "profile": "profile",
    "goals": "goals and pains",
    "empathy": "empathy map",
    "adoption": "adoption and ratio",
}
WIDTHS = [(390, 844), (1280, 860)]


class Judge:
    """axe-core and the page's width over each state, at each width."""

    def __init__(self, page) -> None:
        self.page, self.findings, self.wide, self.states = page, [], [], []

    def __call__(self, state: str) -> None:
        self.states.append(state)
        width = self.page.viewport_size["width"]
        self.findings += [f"{state} at {width} px: {f}" for f in axe_findings(self.page)]
        if scroll_width(self.page) > width:
            self.wide.append(f"{state} is {scroll_width(self.page)} px wide at {width} px")


def open_persona_states(page, judge: Judge, persona, usage) -> None:
    page.goto(persona.get_absolute_url())
    for key, title in SECTIONS.items():
        page.get_by_role("link", name=f"Edit {title}").click()
        section = page.locator(f"#section-{key}")
        expect(section.locator("form")).to_be_visible()
        judge(f"{key} edit")
        section.locator("[data-cancel]").click()
        expect(page.get_by_role("link", name=f"Edit {title}")).to_be_visible()
    # A refused save: the errors beside their fields.
    page.get_by_role("link", name="Edit adoption and ratio").click()
    page.get_by_label("Own present share").fill("101")
    page.locator("#section-adoption").get_by_role("button", name="Save").click()
    expect(page.locator("#section-adoption .field-errors")).to_be_visible()
    judge("adoption edit refused")
    page.locator("#section-adoption [data-cancel]").click()

    name = usage.channel.name
    page.get_by_role("link", name=f"Edit {name}", exact=True).click()
    expect(page.locator(f"#usage-{usage.pk}.row-editing")).to_be_visible()
    judge("mix row edit")
    page.locator(f"#usage-{usage.pk} [data-cancel]").click()
    expect(page.get_by_role("link", name=f"Edit {name}", exact=True)).to_be_visible()

    mix = page.locator("#section-mix")
    mix.locator("#add-channel > summary").click()
    expect(mix.get_by_label("Channel (1)", exact=True)).to_be_visible()
    judge("add channels open")
    mix.get_by_label("Share (2)").fill("-1")
    mix.get_by_role("button", name="Add to the mix").click()
    expect(mix.get_by_text("greater than or equal to 0")).to_be_visible()
    judge("add channels refused")

    evidence = page.locator("#section-evidence")
    evidence.get_by_text("Add research note").click()
    expect(evidence.get_by_label("Summary")).to_be_visible()
    judge("research note form open")


def open_plan_states(page, judge: Judge, plan) -> None:
    page.goto(plan.get_absolute_url())
    weight = page.get_by_label("Weight").first
    weight.fill("7")
    expect(page.locator("#allocation")).to_contain_text("Trying")
    judge("plan line changed")
    # A value the browser lets through and the server refuses: beside its line.
    page.get_by_label("Weight").first.fill("1.234")
    expect(page.locator("#allocation .mini-input.is-invalid")).to_have_count(1)
    expect(page.locator("#allocation")).to_contain_text("no more than 2 decimal places")
    judge("plan line refused")


@pytest.mark.parametrize("role", ["owner", "marketer"])
def test_opened_edit_states_have_no_serious_findings(new_page, role):
    world = demo_world()
    page = new_page(WIDTHS[0])
    sign_in(page, DEMO_LOGINS[role], PASSWORD)
    judge = Judge(page)
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        open_persona_states(page, judge, world["persona"], world["usage"])
        if width == 390:
            screenshot(page, f"edit-states-persona-{role}-390")
        open_plan_states(page, judge, world["plan"])
    assert len(judge.states) == 2 * 11, judge.states
    assert judge.wide == [], "\n".join(judge.wide)
    assert judge.findings == [], f"{len(judge.findings)} serious findings:\n" + "\n".join(
        judge.findings
    )
    assert [e for e in page.errors if "status of 422" not in e] == []


def test_a_reviewer_is_offered_no_edit(new_page):
    world = demo_world()
    page = new_page(WIDTHS[0])
    sign_in(page, DEMO_LOGINS["reviewer"], PASSWORD)
    page.goto(world["persona"].get_absolute_url())
    expect(page.locator("#section-goals")).to_be_visible()
    for title in SECTIONS.values():
        expect(page.get_by_role("link", name=f"Edit {title}")).to_have_count(0)
    expect(page.locator("#add-channel")).to_have_count(0)
    page.goto(world["plan"].get_absolute_url())
    expect(page.locator("#allocation")).to_be_visible()
    expect(page.get_by_label("Weight")).to_have_count(0)

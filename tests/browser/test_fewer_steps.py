"""Two everyday jobs, counted in user actions (clicks, form submits, field
entries): a whole persona with three channels, and a 70 / 30 plan submitted."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from channels.models import ChannelUsage
from planning.models import Plan
from tests.browser.conftest import screenshot, sign_in
from tests.factories import (
    PASSWORD,
    ChannelFactory,
    ChannelUsageFactory,
    PersonaFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


class Counted:
    """The user's hands: every click, field entry and choice counts one."""

    def __init__(self, page) -> None:
        self.page, self.actions = page, 0

    def click(self, locator) -> None:
        self.actions += 1
        locator.click()

    def fill(self, locator, value: str) -> None:
        self.actions += 1
        locator.fill(value)

    def choose(self, locator, **option) -> None:
        self.actions += 1
        locator.select_option(**option)


def test_a_whole_persona_with_three_channels_in_few_actions(page, marketer, workspace):
    for name in ["LinkedIn", "Trade shows", "TikTok"]:
        ChannelFactory(workspace=workspace, name=name)
    sign_in(page, marketer.email, PASSWORD)
    page.goto(f"/w/{workspace.slug}/personas/")
    user = Counted(page)
    user.click(page.get_by_role("link", name="New persona").first)
    user.fill(page.get_by_label("Name"), "Operations Olivia")
    user.fill(page.get_by_label("Summary"), "Runs a 40-person operations team.")
    user.fill(page.get_by_label("Goals"), "Cut late deliveries below 2%")
    user.fill(page.get_by_label("Says"), "Show me it works somewhere like us.")
    for row, (channel, share) in enumerate(
        [("LinkedIn", "5"), ("Trade shows", "3"), ("TikTok", "2")], 1
    ):
        user.choose(page.get_by_label(f"Channel ({row})"), label=channel)
        user.fill(page.get_by_label(f"Share ({row})"), share)
    user.choose(page.get_by_label("Stage (3)"), value="emerging")
    screenshot(page, "persona-create-whole")
    user.click(page.get_by_role("button", name="Create persona"))

    expect(page.get_by_role("heading", level=1, name="Operations Olivia")).to_be_visible()
    expect(page.locator("#section-goals")).to_contain_text("Cut late deliveries below 2%")
    expect(page.locator("#section-empathy")).to_contain_text("Show me it works somewhere like us.")
    mix = page.locator("#section-mix")
    expect(mix.get_by_text("Core — where they are: 80%")).to_be_visible()
    expect(mix.get_by_text("Emerging — where they are going: 20%")).to_be_visible()
    usages = ChannelUsage.objects.filter(persona__name="Operations Olivia")
    assert sorted((u.channel.name, u.stage) for u in usages) == [
        ("LinkedIn", "core"),
        ("TikTok", "emerging"),
        ("Trade shows", "core"),
    ]
    print(
        f"\nA persona with profile, goals, empathy map and three channels: {user.actions} actions"
    )
    assert user.actions <= 15
    assert page.errors == []


def test_a_channel_in_two_rows_is_refused_beside_the_row(page, marketer, workspace):
    ChannelFactory(workspace=workspace, name="LinkedIn")
    sign_in(page, marketer.email, PASSWORD)
    page.goto(f"/w/{workspace.slug}/personas/new/")
    page.get_by_label("Name").fill("Operations Olivia")
    page.get_by_label("Channel (1)").select_option(label="LinkedIn")
    page.get_by_label("Channel (2)").select_option(label="LinkedIn")
    page.get_by_role("button", name="Create persona").click()
    expect(page.get_by_text("This channel is already in another row.")).to_be_visible()
    expect(page.get_by_label("Name")).to_have_value("Operations Olivia")
    assert not ChannelUsage.objects.exists()


def test_a_70_30_plan_submitted_in_few_actions(page, marketer, workspace):
    olivia = PersonaFactory(workspace=workspace, name="Operations Olivia")
    ChannelUsageFactory(
        persona=olivia, channel=ChannelFactory(workspace=workspace, name="LinkedIn")
    )
    PlanFactory(workspace=workspace, name="Last quarter", personas=[olivia], total_effort=640)
    sign_in(page, marketer.email, PASSWORD)
    page.goto(f"/w/{workspace.slug}/plans/")
    user = Counted(page)
    user.click(page.get_by_role("link", name="New plan"))
    # Next quarter, last plan's effort and every active persona are filled in.
    expect(page.get_by_label("Total effort")).to_have_value("640.00")
    user.fill(page.get_by_label("Present share"), "70")
    screenshot(page, "plan-create-defaults")
    user.click(page.get_by_role("button", name="Draft the plan"))
    expect(page.locator(".ratio-figure").first).to_contain_text("70")
    user.click(page.get_by_role("button", name="Submit for review"))
    expect(page.get_by_text("In review").first).to_be_visible()

    plan = Plan.objects.exclude(name="Last quarter").get()
    assert (plan.status, plan.present_share, plan.total_effort) == ("in_review", 70, 640)
    assert list(plan.members.values_list("persona__name", flat=True)) == ["Operations Olivia"]
    print(f"\nA 70 / 30 plan from New plan to submitted: {user.actions} actions")
    assert user.actions <= 8
    assert page.errors == []

"""The pages built on the shared layouts, at desktop width and at 390 px: each
shows its heading, scrolls only down, and logs no error."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

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


def test_layout_pages_at_two_widths(new_page, owner, workspace):
    olivia = PersonaFactory(workspace=workspace, name="Operations Olivia")
    linkedin = ChannelFactory(workspace=workspace, name="LinkedIn")
    ChannelUsageFactory(persona=olivia, channel=linkedin)
    running = ExperimentFactory(
        workspace=workspace, title="Webinar pilot", status="running", personas=[olivia]
    )
    plan = PlanFactory(workspace=workspace, name="Q1 2027 plan", personas=[olivia])
    w = f"/w/{workspace.slug}"
    pages = {
        "persona-new": (f"{w}/personas/new/", "New persona"),
        "workspace-new": ("/workspaces/new/", "New workspace"),
        "password-change": ("/accounts/password/", "Change password"),
        "channel-edit": (f"{w}/channels/{linkedin.pk}/edit/", "Edit LinkedIn"),
        "channel-merge": (
            f"{w}/channels/{linkedin.pk}/merge/",
            "Merge LinkedIn into another channel",
        ),
        "channel-delete": (f"{w}/channels/{linkedin.pk}/delete/", "Delete LinkedIn for good?"),
        "channel-list": (f"{w}/channels/", "Channels"),
        "channel-detail": (f"{w}/channels/{linkedin.pk}/", "LinkedIn"),
        "experiment-board": (f"{w}/experiments/", "Experiments"),
        "experiment-table": (f"{w}/experiments/table/", "Experiments"),
        "experiment-detail": (running.get_absolute_url(), "Webinar pilot"),
        "experiment-conclude": (
            f"{w}/experiments/{running.pk}/conclude/",
            "Conclude “Webinar pilot”",
        ),
        "experiment-delete": (
            f"{w}/experiments/{running.pk}/delete/",
            "Delete “Webinar pilot” for good?",
        ),
        "plan-list": (f"{w}/plans/", "Plans"),
        "plan-delete": (f"{w}/plans/{plan.pk}/delete/", "Delete Q1 2027 plan for good?"),
    }
    for width, size in [(1280, "desktop"), (390, "phone")]:
        page = new_page((width, 860))
        sign_in(page, owner.email, PASSWORD)
        for name, (url, heading) in pages.items():
            page.goto(url)
            expect(page.get_by_role("heading", level=1, name=heading, exact=True)).to_be_visible()
            wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
            assert not wide, f"{name} scrolls sideways at {width} px"
            screenshot(page, f"layout-{name}-{size}")
        assert page.errors == []

"""Journey: a reviewer signs in, lands on the dashboard, follows a signal to its place."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.factories import (
    PASSWORD,
    ActualFactory,
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    PersonaFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_reviewer_follows_a_signal(page, reviewer, workspace):
    today = timezone.localdate()
    farah = PersonaFactory(workspace=workspace, name="Founder Farah")
    podcasts = ChannelFactory(workspace=workspace, name="Podcasts")
    ChannelUsageFactory(persona=farah, channel=podcasts, share=75)
    ChannelUsageFactory(
        persona=farah,
        channel=ChannelFactory(workspace=workspace, name="TikTok"),
        share=25,
        stage="emerging",
        trend="rising",
    )
    experiment = ExperimentFactory(
        workspace=workspace, status="running", personas=[farah], title="Podcast guesting"
    )
    plan = PlanFactory(
        workspace=workspace,
        name="Q1 plan",
        personas=[farah],
        total_effort=Decimal(1000),
        start=today,
        end=today + timedelta(days=60),
        status="approved",
    )
    ActualFactory(plan=plan, channel=podcasts, amount=90, date=today)
    ActualFactory(plan=plan, experiment=experiment, amount=10, date=today)

    sign_in(page, reviewer.email, PASSWORD)
    expect(page).to_have_url(re.compile(rf"/w/{workspace.slug}/$"))
    expect(page.get_by_role("heading", level=1, name="Q1 plan")).to_be_visible()
    expect(page.get_by_text("Are we keeping the split?")).to_be_visible()
    signals = page.locator(".dash-signal")
    expect(signals.first).to_be_visible()
    screenshot(page, "dashboard-reviewer")

    emerging = signals.filter(has_text="TikTok already holds 25% of Founder Farah's mix")
    emerging.get_by_role("link", name=re.compile("Promote it")).click()
    expect(page).to_have_url(re.compile(rf"/personas/{farah.pk}/#section-mix$"))
    expect(
        page.locator("#section-mix").get_by_role("link", name="TikTok", exact=True)
    ).to_be_visible()
    # A reviewer reads; nothing to change here.
    expect(page.locator("#section-mix .share-input")).to_have_count(0)
    assert page.errors == []

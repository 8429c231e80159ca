"""The fresh demo tells a story: a handful of sound signals on its dashboard, and
quarters of approved plans whose future part grows."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from planning.dashboard import SHOWN_SIGNALS, SignalKind, build_dashboard
from planning.trends import workspace_trends
from tests.factories import PASSWORD
from workspaces.models import Workspace


@pytest.fixture
def demo(db) -> Workspace:
    call_command("seed_demo", password=PASSWORD, stdout=io.StringIO())
    return Workspace.objects.get(slug="northwind")


def test_the_demo_dashboard_shows_at_most_seven_sound_signals(demo, client):
    signals = build_dashboard(demo).signals
    assert 3 <= len(signals) <= SHOWN_SIGNALS
    # One suggestion per persona and channel, and no plan-wide drift: most
    # personas spend as planned.
    pairs = [(s.persona_id, s.channel_id) for s in signals if s.channel_id]
    assert len(pairs) == len(set(pairs))
    assert SignalKind.DRIFT not in {s.kind for s in signals}
    client.login(email="maya@example.com", password=PASSWORD)
    page = client.get(reverse("planning:dashboard", args=[demo.slug])).content.decode()
    assert "signals=all" not in page  # no signal left behind a "Show all"
    assert page.count('class="dash-signal ') == len(signals)


def test_the_demo_trends_show_the_future_part_growing(demo):
    trends = workspace_trends(demo)
    assert len(trends.plans) >= 5  # four past quarters and this one
    headlines = [p.headline_future for p in trends.plans]
    assert headlines == sorted(headlines) and headlines[0] < headlines[-1]
    actual = [p.actual_future_share for p in trends.plans]
    assert all(share is not None for share in actual)
    assert actual[0] < max(actual)
    assert len([q for q in trends.quarters if q.concluded]) >= 4
    assert sum(q.graduations for q in trends.quarters) >= 1

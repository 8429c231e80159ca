"""Trends across plans: figures against a small fixture worked out by hand, the
page in a fixed number of queries at 2 and 12 plans, and who may open it."""

from __future__ import annotations

import html
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from channels.models import Channel
from personas.models import Persona
from planning.models import PlanLine
from planning.trends import ActualFact, ExperimentFact, LineFact, PlanFact, compute_trends
from tests.factories import ActualFactory, ChannelFactory, PersonaFactory, PlanFactory

D = Decimal

# Plan A (headline 80 / 20): Maya 60 on Email and 20 on TikTok's experiment, Paul
# 15 on Email and 5 not yet on an experiment -> allocated 75 / 25; Maya 80%, Paul
# 20%; Email 75, TikTok 20. Spent 70 present, 30 future -> 70 / 30.
# Plan B (70 / 30): Maya 40 Email, 30 TikTok; Paul 20 LinkedIn, 10 unplaced ->
# 60 / 40; Maya 70%, Paul 30%; Email 40, TikTok 30, LinkedIn 20. Nothing spent.
PLANS = [
    PlanFact(2, "Q2", date(2026, 4, 1), 70),
    PlanFact(1, "Q1", date(2026, 1, 1), 80),
]
LINES = [
    LineFact(1, "Maya", True, "Email", D(60)),
    LineFact(1, "Maya", False, "TikTok", D(20)),
    LineFact(1, "Paul", True, "Email", D(15)),
    LineFact(1, "Paul", False, "", D(5)),
    LineFact(2, "Maya", True, "Email", D(40)),
    LineFact(2, "Maya", False, "TikTok", D(30)),
    LineFact(2, "Paul", True, "LinkedIn", D(20)),
    LineFact(2, "Paul", False, "", D(10)),
]
ACTUALS = [ActualFact(1, D(70), D(30))]
# Q1 2026: one adopted in 30 days (then graduated), one dropped in 70 -> 50%,
# median 50 days, 1 graduation. Q2: one adopted in 90 days -> 100%, 90 days, and
# a promotion. Q3: nothing. Q4: a promotion. A running experiment counts nowhere.
EXPERIMENTS = [
    ExperimentFact(True, date(2026, 1, 10), date(2026, 2, 9), date(2026, 2, 20)),
    ExperimentFact(False, date(2026, 1, 1), date(2026, 3, 12), None),
    ExperimentFact(True, date(2026, 4, 1), date(2026, 6, 30), None),
    ExperimentFact(None, date(2026, 5, 1), None, None),
]
PROMOTIONS = [date(2026, 5, 5), date(2026, 11, 1)]


def trends(**options):
    return compute_trends(PLANS, LINES, ACTUALS, EXPERIMENTS, PROMOTIONS, **options)


def test_the_split_per_plan_oldest_first():
    rows = trends().plans
    assert [p.name for p in rows] == ["Q1", "Q2"]
    q1, q2 = rows
    assert q1.headline_future == 20 and q2.headline_future == 30
    assert (q1.allocated_present, q1.allocated_future, q1.allocated_future_share) == (75, 25, 25)
    assert (q2.allocated_present, q2.allocated_future, q2.allocated_future_share) == (60, 40, 40)
    assert (q1.actual_present, q1.actual_future, q1.actual_future_share) == (70, 30, 30)
    assert (q2.actual_present, q2.actual_future, q2.actual_future_share) == (0, 0, None)


def test_each_personas_share_and_each_channels_effort():
    result = trends()
    assert result.personas.names == ["Maya", "Paul"]
    assert result.personas.shares == [[80, 20], [70, 30]]
    assert result.channels.names == ["Email", "TikTok", "LinkedIn"]
    assert result.channels.amounts == [[75, 20, 0], [40, 30, 20]]


def test_series_beyond_the_top_add_up_as_other():
    result = trends(top=1)
    assert result.personas.names == ["Maya", "Other"]
    assert result.channels.names == ["Email", "Other"]
    assert result.channels.amounts == [[75, 20], [40, 50]]


def test_experiments_and_moves_per_quarter():
    quarters = trends().quarters
    assert [q.label for q in quarters] == ["2026 Q1", "2026 Q2", "2026 Q3", "2026 Q4"]
    q1, q2, q3, q4 = quarters
    assert (q1.concluded, q1.adopted, q1.win_rate, q1.median_days) == (2, 1, 50, 50)
    assert (q1.graduations, q1.promotions) == (1, 0)
    assert (q2.concluded, q2.adopted, q2.win_rate, q2.median_days) == (1, 1, 100, 90)
    assert (q2.graduations, q2.promotions) == (0, 1)
    assert (q3.concluded, q3.win_rate, q3.median_days, q3.moved) == (0, None, None, 0)
    assert (q4.promotions, q4.moved) == (1, 1)


def test_only_the_latest_quarters():
    assert [q.label for q in trends(quarters=2).quarters] == ["2026 Q3", "2026 Q4"]


def test_nothing_yet():
    empty = compute_trends([], [], [], [], [])
    assert empty.plans == [] and empty.quarters == [] and empty.personas.names == []


# --- The page ------------------------------------------------------------------


def _approved_plans(workspace, count: int, first: int = 0) -> None:
    maya = Persona.objects.filter(workspace=workspace, name="Maya").first()
    maya = maya or PersonaFactory(workspace=workspace, name="Maya")
    email = Channel.objects.filter(workspace=workspace, name="Email").first()
    email = email or ChannelFactory(workspace=workspace, name="Email")
    start = date(2024, 1, 1)
    for n in range(first, first + count):
        plan = PlanFactory(
            workspace=workspace,
            name=f"Plan {n + 1}",
            status="approved",
            start=start + timedelta(days=91 * n),
            end=start + timedelta(days=91 * n + 89),
            personas=[maya],
        )
        for bucket, amount in (("present", 80 - n), ("future", 20 + n)):
            PlanLine.objects.create(
                workspace=workspace, plan=plan, persona=maya, persona_name="Maya",
                persona_weight=1, persona_present_share=80, persona_share_source="plan",
                bucket=bucket, kind="channel" if bucket == "present" else "unassigned",
                channel=email if bucket == "present" else None,
                channel_name="Email" if bucket == "present" else "", amount=amount,
            )  # fmt: skip
        ActualFactory(plan=plan, channel=email, amount=50, date=plan.start)


@pytest.mark.parametrize("plans", [2, 12])
def test_the_page_in_a_fixed_number_of_queries(reviewer_client, workspace, plans):
    _approved_plans(workspace, plans)
    url = reverse("planning:trends", args=[workspace.slug])
    with CaptureQueriesContext(connection) as queries:
        response = reviewer_client.get(url)
    real = [q for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert response.status_code == 200
    assert len(real) <= 12
    page = html.unescape(response.content.decode())
    assert page.count('<th scope="row" class="nowrap"><a href=') == plans
    assert f"Plan {plans}" in page
    assert f"{80 - plans + 1:.2f}" in page  # the last plan's present part


def test_query_count_is_the_same_at_2_and_12_plans(reviewer_client, workspace):
    counts = []
    _approved_plans(workspace, 2)
    url = reverse("planning:trends", args=[workspace.slug])
    with CaptureQueriesContext(connection) as two:
        reviewer_client.get(url)
    counts.append(len(two))
    _approved_plans(workspace, 10, first=2)
    with CaptureQueriesContext(connection) as twelve:
        reviewer_client.get(url)
    counts.append(len(twelve))
    assert counts[0] == counts[1]


def test_the_page_says_what_each_chart_shows(reviewer_client, workspace):
    _approved_plans(workspace, 3)
    page = reviewer_client.get(reverse("planning:trends", args=[workspace.slug]))
    text = html.unescape(page.content.decode())
    for title in (
        "Future share per plan: headline, allocated and actual",
        "Each persona's share of the allocated effort, per plan",
        "Allocated effort per channel, per plan",
    ):
        assert title in text
    assert "No experiment concluded yet" in text
    dashboard = reviewer_client.get(reverse("planning:dashboard", args=[workspace.slug]))
    assert reverse("planning:trends", args=[workspace.slug]) in dashboard.content.decode()

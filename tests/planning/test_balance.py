"""Balance to the headline: the personas following the plan's ratio are adjusted so
the whole plan allocates exactly the headline split; when none can, a sentence
says why and nothing is saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from planning.models import Plan
from planning.selectors import plan_view
from tests.factories import ChannelFactory, ChannelUsageFactory, PersonaFactory, PlanFactory

HX = {"HX-Request": "true"}


@pytest.fixture
def plan(workspace):
    """1,000 h at 70 / 30 over Ana (follows the plan) and Ben (his own 90 / 10),
    weight 1 each: allocated 350 + 450 = 800 where they are, 80 / 20."""
    webinars = ChannelFactory(workspace=workspace, name="Webinars")
    ana = PersonaFactory(workspace=workspace, name="Ana", priority=1)
    ben = PersonaFactory(workspace=workspace, name="Ben", priority=1, present_share_override=90)
    for persona in (ana, ben):
        ChannelUsageFactory(persona=persona, channel=webinars)
    return PlanFactory(workspace=workspace, name="Q1", personas=[ana, ben], total_effort=1000, present_share=70)  # fmt: skip


def _ratios(plan, **extra) -> dict:
    data = {"present_share": "70", "version": plan.version}
    for member in plan.members.all():
        data[f"weight_{member.pk}"] = str(member.weight)
    return {**data, **extra}


def test_balancing_brings_the_plan_to_its_headline(marketer_client, plan):
    html = marketer_client.get(plan.get_absolute_url()).content.decode()
    assert "Plan 70 / 30 · allocated 80 / 20 because 1 persona uses its own ratio." in html
    url = reverse("planning:plan_balance", args=[plan.workspace.slug, plan.pk])
    response = marketer_client.post(url, _ratios(plan))
    assert response.status_code == 303
    plan.refresh_from_db()
    assert plan.balanced
    view = plan_view(plan)
    # Ben keeps 450 where they are; Ana takes the 250 left of her 500: 50 / 50.
    assert (view.present, view.future) == (Decimal("700.00"), Decimal("300.00"))
    ana = next(row for row in view.personas if row.name == "Ana")
    assert (ana.share, ana.source) == (Decimal("50.00"), "balanced")
    html = marketer_client.get(plan.get_absolute_url()).content.decode()
    assert "Balanced: Q1 allocates 70.00 / 30.00, its headline 70 / 30." in html
    assert "Plan 70 / 30 · allocated 70 / 30: 1 persona balanced to the headline." in html
    assert '<strong class="allocated-exact">70.00 / 30.00</strong>' in html
    assert "balanced to the plan&#x27;s headline" in html  # Ana's ratio says where it comes from


def test_the_whatif_shows_the_balanced_split_live(marketer_client, plan):
    response = marketer_client.get(
        plan.get_absolute_url(), _ratios(plan, present_share="75", balance="on"), headers=HX
    )
    html = response.content.decode()
    assert '<strong class="allocated-exact">75.00 / 25.00</strong>' in html
    assert "Plan 75 / 25 · allocated 75 / 25: 1 persona balanced to the headline." in html
    plan.refresh_from_db()
    assert not plan.balanced and plan.present_share == 70  # nothing saved


def test_an_impossible_balance_says_why_and_saves_nothing(marketer_client, plan):
    """Ben's own 90 / 10 puts 450 of 1,000 where they are: 45.00 / 55.00 at the least."""
    url = reverse("planning:plan_balance", args=[plan.workspace.slug, plan.pk])
    version = plan.version
    response = marketer_client.post(url, _ratios(plan, present_share="40"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "The plan cannot be balanced to 40 / 60:" in html
    assert (
        "The personas with a ratio of their own already put 45.00 / 55.00 of the plan where "
        "they are, even with every other persona entirely on where they are going: raise the "
        "headline to at least that, or lower a persona&#x27;s own ratio." in html
    )
    saved = Plan.objects.get(pk=plan.pk)
    assert (saved.balanced, saved.present_share, saved.version) == (False, 70, version)


def test_an_approved_plan_cannot_be_balanced(marketer_client, plan):
    Plan.objects.filter(pk=plan.pk).update(status="approved")
    url = reverse("planning:plan_balance", args=[plan.workspace.slug, plan.pk])
    response = marketer_client.post(url, _ratios(plan), follow=True)
    assert "its ratios can no longer change" in response.content.decode()
    assert not Plan.objects.get(pk=plan.pk).balanced


def test_a_stale_balance_is_refused(marketer_client, plan):
    url = reverse("planning:plan_balance", args=[plan.workspace.slug, plan.pk])
    response = marketer_client.post(
        url, _ratios(plan, version=plan.version - 1 if plan.version else 99), follow=True
    )
    assert "Not balanced" in response.content.decode()
    assert not Plan.objects.get(pk=plan.pk).balanced  # fmt: skip

"""Review: draft → in review → approved or returned (→ draft-like), per role."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from channels.models import ChannelUsage
from planning.models import Plan, PlanLine, ReviewStep
from planning.selectors import plan_view
from tests.factories import (
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    PersonaFactory,
    PlanFactory,
)


@pytest.fixture
def plan(workspace):
    olivia = PersonaFactory(workspace=workspace, name="Olivia", priority=3)
    ChannelUsageFactory(
        persona=olivia, channel=ChannelFactory(workspace=workspace, name="LinkedIn"), share=3
    )
    ChannelUsageFactory(
        persona=olivia, channel=ChannelFactory(workspace=workspace, name="Email"), share=1
    )
    ExperimentFactory(workspace=workspace, title="Pilot", status="running", personas=[olivia])
    return PlanFactory(workspace=workspace, personas=[olivia], total_effort=Decimal("1000.00"))


def step(client, plan, action, **data):
    plan.refresh_from_db()
    url = reverse(f"planning:plan_{action}", args=[plan.workspace.slug, plan.pk])
    return client.post(url, {"version": plan.version, **data})


@pytest.mark.parametrize(
    ("role", "allowed"), [("owner", True), ("marketer", True), ("reviewer", False)]
)
def test_who_may_submit(request, plan, role, allowed):
    response = step(request.getfixturevalue(f"{role}_client"), plan, "submit")
    plan.refresh_from_db()
    assert response.status_code == (303 if allowed else 403)
    assert plan.status == ("in_review" if allowed else "draft")


@pytest.mark.parametrize(
    ("role", "allowed"), [("owner", True), ("reviewer", True), ("marketer", False)]
)
def test_who_may_approve(request, marketer_client, plan, role, allowed):
    step(marketer_client, plan, "submit")
    response = step(request.getfixturevalue(f"{role}_client"), plan, "approve")
    plan.refresh_from_db()
    assert response.status_code == (303 if allowed else 403)
    assert plan.status == ("approved" if allowed else "in_review")


@pytest.mark.parametrize(
    ("role", "allowed"), [("owner", True), ("reviewer", True), ("marketer", False)]
)
def test_who_may_return(request, marketer_client, plan, role, allowed):
    step(marketer_client, plan, "submit")
    response = step(
        request.getfixturevalue(f"{role}_client"), plan, "return", comment="Less on email, please."
    )
    plan.refresh_from_db()
    assert response.status_code == (303 if allowed else 403)
    assert plan.status == ("returned" if allowed else "in_review")


def test_returning_needs_a_comment_and_shows_it(marketer_client, reviewer_client, reviewer, plan):
    step(marketer_client, plan, "submit")
    step(reviewer_client, plan, "return", comment="   ")
    plan.refresh_from_db()
    assert plan.status == "in_review"
    step(reviewer_client, plan, "return", comment="Less on email, please.")
    plan.refresh_from_db()
    assert plan.status == "returned"
    html = marketer_client.get(plan.get_absolute_url()).content.decode()
    assert "Returned by Carol Reviewer" in html and "Less on email, please." in html
    # A returned plan is a draft again: it can be edited and submitted.
    assert "Save ratios" in html
    assert step(marketer_client, plan, "submit").status_code == 303
    plan.refresh_from_db()
    assert plan.status == "in_review"


def test_steps_are_recorded_with_who_and_comment(
    marketer_client, reviewer_client, plan, marketer, reviewer
):
    step(marketer_client, plan, "submit")
    step(reviewer_client, plan, "approve", comment="Good balance.")
    steps = list(
        ReviewStep.objects.filter(plan=plan)
        .order_by("at", "pk")
        .values_list("action", "user", "comment")
    )
    assert steps[-2:] == [
        ("submitted", marketer.pk, ""),
        ("approved", reviewer.pk, "Good balance."),
    ]
    html = reviewer_client.get(plan.get_absolute_url()).content.decode()
    assert "submitted it for review" in html and "approved it" in html and "Good balance." in html


def test_transitions_out_of_order_are_refused(marketer_client, reviewer_client, plan):
    step(reviewer_client, plan, "approve")  # a draft cannot be approved
    plan.refresh_from_db()
    assert plan.status == "draft"
    step(marketer_client, plan, "submit")
    step(marketer_client, plan, "submit")  # already in review
    step(reviewer_client, plan, "approve")
    step(reviewer_client, plan, "return", comment="Too late")  # approved is final
    plan.refresh_from_db()
    assert plan.status == "approved"
    assert list(ReviewStep.objects.filter(plan=plan).values_list("action", flat=True)) == [
        "submitted",
        "approved",
    ]


def test_a_plan_that_cannot_be_allocated_cannot_be_submitted(marketer_client, workspace):
    persona = PersonaFactory(workspace=workspace)
    plan = PlanFactory(workspace=workspace, personas=[persona])
    plan.members.update(weight=0)
    response = step(marketer_client, plan, "submit")
    plan.refresh_from_db()
    assert plan.status == "draft"
    assert (
        "At least one persona needs a weight above zero"
        in marketer_client.get(response["Location"]).content.decode()
    )


def test_approval_freezes_the_figures(marketer_client, reviewer_client, plan, workspace):
    step(marketer_client, plan, "submit")
    before = plan_view(Plan.objects.get(pk=plan.pk))
    step(reviewer_client, plan, "approve")
    stored = PlanLine.objects.filter(plan=plan)
    assert sum(line.amount for line in stored) == Decimal("1000.00")
    assert stored.count() == len(before.lines)
    # Later changes to channels, personas and experiments do not move the approved plan.
    ChannelUsage.objects.filter(persona__plan_memberships__plan=plan).update(share=50)
    plan.members.first().persona.__class__.objects.update(present_share_override=50, name="Renamed")
    frozen = Plan.objects.get(pk=plan.pk)
    after = plan_view(frozen)
    assert [(r.name, line.label, line.amount) for r, line in after.lines] == [
        (r.name, line.label, line.amount) for r, line in before.lines
    ]
    html = reviewer_client.get(plan.get_absolute_url()).content.decode()
    assert "600.00" in html and "200.00" in html and "These figures are stored" in html


def test_approved_plan_refuses_edits(marketer_client, reviewer_client, plan):
    step(marketer_client, plan, "submit")
    step(reviewer_client, plan, "approve")
    plan.refresh_from_db()
    member = plan.members.first()
    response = marketer_client.post(
        reverse("planning:plan_save_whatif", args=[plan.workspace.slug, plan.pk]),
        {"present_share": "50", "version": plan.version, f"weight_{member.pk}": "9"},
    )
    assert response.status_code == 303
    plan.refresh_from_db()
    assert plan.present_share is None and plan.status == "approved"
    assert (
        marketer_client.get(
            reverse("planning:plan_edit", args=[plan.workspace.slug, plan.pk])
        ).status_code
        == 303
    )


def test_stale_submit_is_refused(marketer_client, plan):
    plan.refresh_from_db()
    Plan.objects.filter(pk=plan.pk).update(version=plan.version + 1, total_effort=5)
    url = reverse("planning:plan_submit", args=[plan.workspace.slug, plan.pk])
    response = marketer_client.post(url, {"version": plan.version}, follow=True)
    assert "Nothing changed" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "draft"

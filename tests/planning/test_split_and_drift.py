"""One target with its source, and drift three ways, per plan and per persona,
against figures worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from planning.actuals import actual_totals
from planning.dashboard import build_dashboard
from planning.selectors import (
    persona_in_plan,
    persona_plan_annotations,
    plan_view,
    with_actuals,
)
from planning.split import Drift, Split, two_parts
from tests.factories import (
    ActualFactory,
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    PersonaFactory,
    PlanFactory,
)


@pytest.fixture
def plan_70_30(workspace):
    """1,000 h at a 70 / 30 headline over Ana (follows the plan) and Ben (his own
    90 / 10), weight 1 each: Ana 350 / 150, Ben 450 / 50, allocated 800 / 200.
    Recorded: Ana 500 on a channel; Ben 350 on a channel and 150 on an experiment.
    Actual 850 / 150."""
    ana = PersonaFactory(workspace=workspace, name="Ana", priority=1)
    ben = PersonaFactory(workspace=workspace, name="Ben", priority=1, present_share_override=90)
    channel = ChannelFactory(workspace=workspace, name="Webinars")
    for persona in (ana, ben):
        ChannelUsageFactory(persona=persona, channel=channel)
    experiment = ExperimentFactory(workspace=workspace, status="running", personas=[ana, ben])
    plan = PlanFactory(
        workspace=workspace,
        name="Q1",
        personas=[ana, ben],
        total_effort=1000,
        present_share=70,
        start=date.today(),
    )
    ActualFactory(plan=plan, channel=channel, persona=ana, amount=Decimal(500))
    ActualFactory(plan=plan, channel=channel, persona=ben, amount=Decimal(350))
    ActualFactory(plan=plan, experiment=experiment, persona=ben, amount=Decimal(150))
    return plan, ana, ben


def test_the_three_splits_and_the_drift_between_them(plan_70_30):
    plan, _ana, _ben = plan_70_30
    view = with_actuals(plan_view(plan), actual_totals(plan))
    assert (view.present, view.future) == (Decimal("800.00"), Decimal("200.00"))
    assert (
        view.source_sentence
        == "Plan 70 / 30 · allocated 80 / 20 because 1 persona uses its own ratio"
    )
    assert [(d.sentence, d.off) for d in view.drifts] == [
        ("Allocated 80 / 20 against the plan's headline 70 / 30: 10.0 points more on where they are", True),
        ("Actual 85 / 15 against the allocated 80 / 20: 5.0 points more on where they are", False),
        ("Actual 85 / 15 against the plan's headline 70 / 30: 15.0 points more on where they are", True),
    ]  # fmt: skip


def test_drift_per_persona_against_her_own_ratio(plan_70_30):
    plan, ana, ben = plan_70_30
    view = with_actuals(plan_view(plan), actual_totals(plan))
    rows = {row.name: row for row in view.personas}
    # Ana: 350 / 150 allocated at the plan's 70 / 30; 500 / 0 recorded.
    assert rows["Ana"].ratio_drift.sentence == (
        "Actual 100 / 0 against Ana's ratio 70 / 30: 30.0 points more on where they are"
    )
    # Ben: 450 / 50 at his own 90 / 10; 350 / 150 recorded: 70 / 30.
    assert rows["Ben"].off_ratio.sentence == (
        "Actual 70 / 30 against Ben's ratio 90 / 10: 20.0 points more on where they are going"
    )
    assert rows["Ben"].drifts(5)[0].sentence == (
        "Allocated 90 / 10 against Ben's ratio 90 / 10: on it"
    )
    signals = [s.text for s in build_dashboard(plan.workspace).signals if s.kind == "persona-drift"]
    assert signals == [
        "Ana in Q1: Actual 100 / 0 against Ana's ratio 70 / 30: 30.0 points more on where they "
        "are, beyond the 5-point tolerance.",
        "Ben in Q1: Actual 70 / 30 against Ben's ratio 90 / 10: 20.0 points more on where they "
        "are going, beyond the 5-point tolerance.",
    ]


def test_the_tolerance_is_the_workspace_setting(plan_70_30):
    plan, _ana, _ben = plan_70_30
    workspace = plan.workspace
    workspace.drift_tolerance = 12
    workspace.save()
    plan.refresh_from_db()
    drifts = build_dashboard(workspace).signals
    texts = [s.text for s in drifts if s.kind == "drift"]
    assert texts == [
        "Q1: Actual 85 / 15 against the plan's headline 70 / 30: 15.0 points more on where they "
        "are, beyond the 12-point tolerance."
    ]


def test_dashboard_and_plan_page_name_each_comparison(reviewer_client, plan_70_30):
    plan, _ana, _ben = plan_70_30
    slug = plan.workspace.slug
    dashboard = reviewer_client.get(reverse("planning:dashboard", args=[slug])).content.decode()
    page = reviewer_client.get(plan.get_absolute_url()).content.decode()
    for html in (dashboard, page):
        assert "Plan 70 / 30 · allocated 80 / 20 because 1 persona uses its own ratio." in html
        assert (
            "Actual 85 / 15 against the allocated 80 / 20: 5.0 points more on where they are."
            in html
        )
        assert (
            "Allocated 80 / 20 against the plan&#x27;s headline 70 / 30: 10.0 points more on where "
            "they are — <strong>beyond the 5-point tolerance</strong>." in html
        )
    assert "Own ratios: Ben 90 / 10." in page
    assert "30.0 points more on where they are" in dashboard  # Ana off her ratio, in her row


def test_persona_page_explains_the_ratio_in_the_plan_and_flags_drift(reviewer_client, plan_70_30):
    plan, ana, ben = plan_70_30
    html = reviewer_client.get(ana.get_absolute_url()).content.decode()
    assert (
        "<strong>70 / 30</strong>, the plan&#x27;s ratio: with no ratio of its own the persona "
        "follows each plan&#x27;s, while the card shows the workspace default 80 / 20." in html
    )
    assert "Off the ratio" in html
    assert "Actual 100 / 0 against her ratio in the plan 70 / 30: 30.0 points more" in html
    html = reviewer_client.get(ben.get_absolute_url()).content.decode()
    assert "<strong>90 / 10</strong>, the persona&#x27;s own ratio, as on the card." in html


def test_persona_in_a_stored_plan_and_outside_any_plan(workspace, plan_70_30):
    from planning.services import plan_approve, plan_submit
    from tests.factories import UserFactory

    plan, ana, _ben = plan_70_30
    user = UserFactory()
    plan_submit(plan=plan, user=user, expected_version=plan.version)
    plan.refresh_from_db()
    plan_approve(plan=plan, user=user, expected_version=plan.version)
    workspace.default_present_share = 60  # later changes do not move a stored plan
    workspace.save()
    found = persona_in_plan(ana)
    assert (found.share, found.source, found.drift.points) == (Decimal("70.00"), "plan", 30.0)
    assert persona_in_plan(PersonaFactory(workspace=workspace)) is None


def test_persona_page_queries_do_not_grow_with_plans(
    reviewer_client, plan_70_30, django_assert_max_num_queries
):
    plan, ana, _ben = plan_70_30
    with django_assert_max_num_queries(12) as few:
        reviewer_client.get(ana.get_absolute_url())
    for _ in range(30):
        PlanFactory(workspace=plan.workspace, personas=[ana])
    with django_assert_max_num_queries(12) as many:
        reviewer_client.get(ana.get_absolute_url())
    assert len(few.captured_queries) == len(many.captured_queries)


@pytest.mark.parametrize(
    ("present", "places", "shown"),
    [(74.5, 0, ("74", "26")), (75.5, 0, ("76", "24")), (82.1875, 1, ("82.2", "17.8")),
     (82.25, 1, ("82.2", "17.8")), (33.335, 2, ("33.34", "66.66"))],
)  # fmt: skip
def test_two_parts_always_add_to_100(present, places, shown):
    parts = two_parts(present, places)
    assert tuple(str(p) for p in parts) == shown and sum(parts) == 100


def test_a_drift_says_which_way():
    plan = Split("The plan's headline", "the plan's headline", 80)
    assert Drift(Split("Actual", "the actual", 72.96), plan, 5).sentence == (
        "Actual 73 / 27 against the plan's headline 80 / 20: 7.0 points more on where they are going"
    )
    assert not Drift(Split("Actual", "the actual", 84.9), plan, 5).off


def test_the_persona_page_reads_the_plan_the_dashboard_shows(workspace):
    """The plan of the moment picked in SQL for the persona page is the one
    ``choose_plan`` picks in Python, case by case."""
    from datetime import timedelta

    from planning.models import Plan
    from planning.selectors import choose_plan

    ana = PersonaFactory(workspace=workspace)
    today = date.today()

    def plan(start_days, end_days, status="draft"):
        return PlanFactory(
            workspace=workspace, personas=[ana], status=status,
            start=today + timedelta(days=start_days), end=today + timedelta(days=end_days),
        )  # fmt: skip

    def picked() -> int:
        personas = type(ana).objects.filter(pk=ana.pk)
        for step in persona_plan_annotations(workspace):
            personas = personas.annotate(**step)
        return personas.values_list("plan_pk", flat=True).get()

    plan(-400, -300)
    assert picked() == choose_plan(workspace, None)[0].pk  # only one: the latest
    approved_old = plan(-200, -100, "approved")
    later = plan(100, 200)
    assert picked() == choose_plan(workspace, None)[0].pk == approved_old.pk
    covering = plan(-10, 10)
    assert picked() == choose_plan(workspace, None)[0].pk == covering.pk
    covering_approved = plan(-20, 5, "approved")
    assert picked() == choose_plan(workspace, None)[0].pk == covering_approved.pk
    Plan.objects.filter(pk=covering_approved.pk).delete()
    assert picked() == covering.pk and later.pk != covering.pk

"""The pace read from the database: the hand-worked workspace, removals, queries."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from channels.models import ChannelUsage
from experiments.models import Experiment
from planning.models import Actual, Plan
from planning.pace import State
from planning.pace_data import load_pace
from tests.factories import PlanFactory, WorkspaceFactory
from tests.planning import pace_world


def _names(personas: dict) -> dict[int, str]:
    return {p.pk: p.name for p in personas.values()}


def test_the_hand_worked_workspace(workspace):
    personas = pace_world.build(workspace)
    view = load_pace(workspace, _names(personas))
    by_name = {p.name: p for p in view.pace.personas}
    assert {n: (p.gap, p.state) for n, p in by_name.items()} == {
        "Farah": (Decimal("-18.00"), State.BEHIND),
        "Paul": (Decimal("-1.00"), State.KEEPING),
        "Olivia": (Decimal("20.00"), State.AHEAD),
    }
    assert view.pace.gap == Decimal("-4.25") and view.pace.state == State.KEEPING
    assert [p.name for p in view.shown] == ["Olivia", "Farah"]
    farah = view.action(by_name["Farah"])
    assert farah.label == "Promote TikTok into Farah's core"
    assert farah.url.endswith(f"/personas/{personas['Farah'].pk}/#section-mix")
    # No plan to settle: the ratio for Olivia starts the next one.
    assert view.action(by_name["Olivia"]).label == "Plan next quarter with Olivia at 90 / 10"


def test_the_ratio_goes_to_the_next_plan_in_draft(workspace):
    personas = pace_world.build(workspace)
    today = timezone.localdate()
    PlanFactory(workspace=workspace, name="Next plan", start=today, end=today, status="draft")
    olivia = load_pace(workspace, _names(personas)).persona(personas["Olivia"].pk)
    action = load_pace(workspace, _names(personas)).action(olivia)
    assert action.label == "Give Olivia 90 / 10 in Next plan"
    assert action.url.endswith("#whatif")


def test_the_tolerance_is_the_workspaces(workspace):
    personas = pace_world.build(workspace)
    workspace.pace_tolerance = 20
    assert load_pace(workspace, _names(personas)).pace.count(State.KEEPING) == 3


def test_an_archived_usage_leaves_the_mix_on_the_day_it_was_archived(workspace):
    personas = pace_world.build(workspace)
    tiktok = ChannelUsage.objects.get(persona=personas["Farah"], channel__name="TikTok")
    tiktok.archived = True
    tiktok.save()
    farah = load_pace(workspace, _names(personas)).persona(personas["Farah"].pk)
    # Today her mix is Podcasts 40 and X 20, both settled: 0 % where they are going.
    assert farah.audience_now == Decimal("0.00")
    assert farah.audience_moved == Decimal("-20.00")


def test_actual_effort_read_per_persona(workspace):
    personas = pace_world.build(workspace)
    label = pace_world.quarter_of(timezone.localdate()).label
    plan = Plan.objects.get(workspace=workspace, name=f"{label} plan")
    olivia = personas["Olivia"]
    linkedin = ChannelUsage.objects.get(persona=olivia, channel__name="LinkedIn").channel
    Actual.objects.create(workspace=workspace, plan=plan, persona=olivia, channel=linkedin,
                          date=plan.start, amount=75)  # fmt: skip
    test = Experiment.objects.create(workspace=workspace, title="YouTube shorts")
    Actual.objects.create(workspace=workspace, plan=plan, persona=olivia, experiment=test,
                          date=plan.start, amount=25)  # fmt: skip
    pace = load_pace(workspace, _names(personas), chart=True).persona(olivia.pk)
    assert (pace.points[-1].allocated, pace.points[-1].actual) == (
        Decimal("30.00"),
        Decimal("25.00"),
    )


def test_queries_do_not_grow_with_observations(workspace, django_assert_num_queries):
    personas = pace_world.build(workspace)
    with django_assert_num_queries(1):  # observations, lines, effort and the next plans
        small = load_pace(workspace, _names(personas))
    big_workspace = WorkspaceFactory()
    other = pace_world.build(big_workspace, extra_observations=400)
    with django_assert_num_queries(1):
        big = load_pace(big_workspace, _names(other))
    assert [p.gap for p in small.pace.personas] == [p.gap for p in big.pace.personas]

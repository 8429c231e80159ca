"""Ratio resolution, most specific first: plan-persona → persona → plan → workspace."""

from __future__ import annotations

import pytest

from personas.models import RatioSource
from planning.models import PlanPersona
from planning.ratios import resolve_present_share
from planning.selectors import plan_view
from tests.factories import PersonaFactory, PlanFactory


@pytest.mark.parametrize(
    ("plan_persona", "persona", "plan", "expected"),
    [
        (95, 70, 60, (95, RatioSource.PLAN_PERSONA)),
        (None, 70, 60, (70, RatioSource.PERSONA)),
        (None, None, 60, (60, RatioSource.PLAN)),
        (None, None, None, (80, RatioSource.WORKSPACE)),
        (0, 70, 60, (0, RatioSource.PLAN_PERSONA)),  # zero is a value, not "unset"
    ],
)
def test_most_specific_first(plan_persona, persona, plan, expected):
    assert (
        resolve_present_share(plan_persona=plan_persona, persona=persona, plan=plan, workspace=80)
        == expected
    )


def test_each_level_shows_on_the_plan_page(reviewer_client, workspace):
    workspace.default_present_share = 75
    workspace.save()
    own = PersonaFactory(workspace=workspace, name="Own", present_share_override=70)
    plain = PersonaFactory(workspace=workspace, name="Plain")
    pinned = PersonaFactory(workspace=workspace, name="Pinned", present_share_override=70)
    plan = PlanFactory(workspace=workspace, personas=[own, plain, pinned])
    PlanPersona.objects.filter(plan=plan, persona=pinned).update(present_share_override=95)
    rows = {r.name: (r.share, r.source) for r in plan_view(plan).personas}
    assert rows == {
        "Own": (70, "persona"),
        "Plain": (75, "workspace"),
        "Pinned": (95, "plan_persona"),
    }
    plan.present_share = 60
    plan.save()
    rows = {r.name: (r.share, r.source) for r in plan_view(plan).personas}
    assert rows["Plain"] == (60, "plan")
    html = reviewer_client.get(plan.get_absolute_url()).content.decode()
    assert (
        "set for this persona in the plan" in html
        and "persona&#x27;s own" in html
        and "the plan&#x27;s" in html
    )


def test_adoption_suggestion_is_shown_but_never_applied(reviewer_client, workspace):
    laggard = PersonaFactory(workspace=workspace, name="Laggard Lou", adoption_stage="laggard")
    plan = PlanFactory(workspace=workspace, personas=[laggard], total_effort=100)
    view = plan_view(plan)
    row = view.personas[0]
    assert (row.share, row.suggestion) == (80, 90)
    assert row.present == 80 and row.future == 20  # the suggestion changed nothing
    html = reviewer_client.get(plan.get_absolute_url()).content.decode()
    assert "Laggard: 90 / 10 suggested" in html

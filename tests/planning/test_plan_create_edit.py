from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from planning.models import Plan, PlanPersona, ReviewStep
from tests.factories import PersonaFactory, PlanFactory


def create_url(workspace) -> str:
    return reverse("planning:plan_create", args=[workspace.slug])


def test_create_form_offers_every_active_persona_checked(marketer_client, workspace):
    PersonaFactory(workspace=workspace, name="Active Ann")
    PersonaFactory(workspace=workspace, name="Archived Art", archived=True)
    html = marketer_client.get(create_url(workspace)).content.decode()
    assert "Active Ann" in html and "Archived Art" not in html
    assert html.count("checked") == 1


def test_create_a_plan_with_weights_from_priority(marketer_client, marketer, workspace):
    olivia = PersonaFactory(workspace=workspace, name="Olivia", priority=5)
    dan = PersonaFactory(workspace=workspace, name="Dan", priority=2)
    response = marketer_client.post(
        create_url(workspace),
        {
            "name": "Q1 2027",
            "start": "2027-01-01",
            "end": "2027-03-31",
            "total_effort": "1000.00",
            "present_share": "",
            "personas": [olivia.pk, dan.pk],
        },
    )
    plan = Plan.objects.get(workspace=workspace)
    assert response.status_code == 303 and response["Location"] == plan.get_absolute_url()
    assert (
        plan.status == "draft" and plan.present_share is None and plan.effective_present_share == 80
    )
    weights = dict(PlanPersona.objects.filter(plan=plan).values_list("persona__name", "weight"))
    assert weights == {"Olivia": Decimal(5), "Dan": Decimal(2)}
    assert ReviewStep.objects.get(plan=plan).action == "created"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"end": "2026-12-01"}, "cannot end before it starts"),
        ({"total_effort": "-5"}, "greater than or equal to 0"),
        ({"total_effort": "12.345"}, "no more than 2 decimal places"),
        ({"total_effort": "lots"}, "Enter a number"),
        ({"present_share": "101"}, "less than or equal to 100"),
        ({"name": ""}, "Give the plan a name"),
        ({"personas": []}, "Choose at least one persona"),
    ],
)
def test_bad_input_is_a_field_error(marketer_client, workspace, extra, message):
    persona = PersonaFactory(workspace=workspace)
    data = {
        "name": "Q1",
        "start": "2027-01-01",
        "end": "2027-03-31",
        "total_effort": "100",
        "personas": [persona.pk],
        **extra,
    }
    response = marketer_client.post(create_url(workspace), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Plan.objects.exists()


def test_a_persona_of_another_workspace_is_refused(marketer_client, workspace, other_workspace):
    foreign = PersonaFactory(workspace=other_workspace)
    data = {
        "name": "Q1",
        "start": "2027-01-01",
        "end": "2027-03-31",
        "total_effort": "100",
        "personas": [foreign.pk],
    }
    response = marketer_client.post(create_url(workspace), data)
    assert response.status_code == 422 and "Select a valid choice" in response.content.decode()


def test_edit_changes_personas_and_keeps_existing_weights(marketer_client, workspace):
    a, b, c = (PersonaFactory(workspace=workspace, name=n) for n in "ABC")
    plan = PlanFactory(workspace=workspace, personas=[a, b])
    PlanPersona.objects.filter(plan=plan, persona=a).update(weight=9)
    data = {
        "name": "Renamed",
        "start": "2027-01-01",
        "end": "2027-03-31",
        "total_effort": "500",
        "present_share": "70",
        "personas": [a.pk, c.pk],
        "version": 1,
    }
    assert (
        marketer_client.post(
            reverse("planning:plan_edit", args=[workspace.slug, plan.pk]), data
        ).status_code
        == 303
    )
    plan.refresh_from_db()
    assert (plan.name, plan.total_effort, plan.present_share, plan.version) == (
        "Renamed",
        500,
        70,
        2,
    )
    assert dict(PlanPersona.objects.filter(plan=plan).values_list("persona__name", "weight")) == {
        "A": 9,
        "C": 3,
    }


def test_reviewer_may_not_create_or_edit(reviewer_client, workspace):
    plan = PlanFactory(workspace=workspace)
    assert reviewer_client.get(create_url(workspace)).status_code == 403
    assert (
        reviewer_client.get(
            reverse("planning:plan_edit", args=[workspace.slug, plan.pk])
        ).status_code
        == 403
    )


def test_outsider_gets_404(outsider_client, workspace):
    plan = PlanFactory(workspace=workspace)
    assert outsider_client.get(plan.get_absolute_url()).status_code == 404

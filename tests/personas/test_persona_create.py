from __future__ import annotations

from django.urls import reverse

from personas.models import Persona


def create_url(workspace) -> str:
    return reverse("personas:create", args=[workspace.slug])


def test_marketer_creates_a_persona_and_lands_on_its_page(marketer_client, marketer, workspace):
    response = marketer_client.post(
        create_url(workspace),
        {
            "name": "Operations Olivia",
            "role_title": "Head of Ops",
            "segment": "Logistics",
            "adoption_stage": "late_majority",
        },
    )
    persona = Persona.objects.get(workspace=workspace, name="Operations Olivia")
    assert response["Location"] == persona.get_absolute_url()
    assert persona.created_by == marketer and persona.version == 1
    assert persona.adoption_stage == "late_majority" and persona.priority == 3
    page = marketer_client.get(response["Location"]).content.decode()
    assert "Operations Olivia" in page and "Late majority: 85 / 15 suggested" in page


def test_missing_name_is_a_field_error_and_nothing_is_saved(marketer_client, workspace):
    response = marketer_client.post(
        create_url(workspace),
        {"name": "  ", "role_title": "Kept role", "adoption_stage": "innovator"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Give the persona a name." in html
    assert 'value="Kept role"' in html
    assert not Persona.objects.exists()


def test_overlong_name_and_unknown_stage_are_refused(marketer_client, workspace):
    response = marketer_client.post(
        create_url(workspace), {"name": "x" * 101, "adoption_stage": "visionary"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "at most 100 characters" in html
    assert "Select a valid choice" in html
    assert not Persona.objects.exists()


def test_reviewer_may_not_create(reviewer_client, workspace):
    assert reviewer_client.get(create_url(workspace)).status_code == 403
    response = reviewer_client.post(
        create_url(workspace), {"name": "Nope", "adoption_stage": "innovator"}
    )
    assert response.status_code == 403
    assert not Persona.objects.exists()


def test_outsider_gets_404(outsider_client, workspace):
    assert (
        outsider_client.post(
            create_url(workspace), {"name": "X", "adoption_stage": "innovator"}
        ).status_code
        == 404
    )

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from personas.models import Persona
from tests.factories import PersonaFactory

HX = {"HX-Request": "true"}

SECTION_DATA = {
    "profile": {
        "name": "Operations Olivia",
        "role_title": "COO",
        "segment": "Retail",
        "company_size": "51-200",
        "summary": "New summary",
        "quote": "New quote",
    },
    "goals": {
        "goals": "Goal A\nGoal B",
        "challenges": "Pain",
        "objections": "Objection",
        "buying_triggers": "Trigger",
    },
    "empathy": {"says": "Says X", "thinks": "Thinks X", "does": "Does X", "feels": "Feels X"},
    "adoption": {"adoption_stage": "laggard", "priority": "5", "present_share_override": "90"},
}


def edit_url(persona, section: str) -> str:
    return reverse("personas:edit_section", args=[persona.workspace.slug, persona.pk, section])


@pytest.fixture
def persona(workspace, marketer):
    return PersonaFactory(
        workspace=workspace, name="Olivia", created_by=marketer, updated_by=marketer
    )


@pytest.mark.parametrize("section", list(SECTION_DATA))
def test_each_section_saves_without_javascript(marketer_client, persona, section):
    response = marketer_client.post(
        edit_url(persona, section), {**SECTION_DATA[section], "version": persona.version}
    )
    assert response.status_code == 303
    assert response["Location"] == f"{persona.get_absolute_url()}#section-{section}"
    persona.refresh_from_db()
    assert persona.version == 2
    for field, value in SECTION_DATA[section].items():
        stored = getattr(persona, field)
        assert str(stored) == value, field


@pytest.mark.parametrize("section", list(SECTION_DATA))
def test_each_section_saves_in_place_with_htmx(marketer_client, persona, section):
    response = marketer_client.post(
        edit_url(persona, section),
        {**SECTION_DATA[section], "version": persona.version},
        headers=HX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<section class="card section" id="section-{section}"')
    assert 'id="persona-heading" data-hx-swap-oob="true"' in html
    persona.refresh_from_db()
    assert persona.version == 2


def test_goals_saved_in_place_show_as_a_list(marketer_client, persona):
    response = marketer_client.post(
        edit_url(persona, "goals"), {**SECTION_DATA["goals"], "version": 1}, headers=HX
    )
    html = response.content.decode()
    assert "<li>Goal A</li>" in html and "<li>Goal B</li>" in html


def test_get_edit_form_full_page_and_fragment(marketer_client, persona):
    page = marketer_client.get(edit_url(persona, "empathy"))
    assert "<header" in page.content.decode() and 'name="says"' in page.content.decode()
    fragment = marketer_client.get(edit_url(persona, "empathy"), headers=HX).content.decode()
    assert fragment.lstrip().startswith(
        '<section class="card section section-editing" id="section-empathy"'
    )
    assert f'name="version" value="{persona.version}"' in fragment


def test_unknown_section_is_404(marketer_client, persona):
    assert marketer_client.get(edit_url(persona, "secrets")).status_code == 404


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("101", "less than or equal to 100"),
        ("-1", "greater than or equal to 0"),
        ("abc", "Enter a whole number"),
    ],
)
def test_bad_present_share_is_a_field_error(marketer_client, persona, value, message):
    data = {**SECTION_DATA["adoption"], "present_share_override": value, "version": persona.version}
    response = marketer_client.post(edit_url(persona, "adoption"), data, headers=HX)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert 'id="field-present_share_override"' in html and "field-invalid" in html
    assert f'value="{value}"' in html  # the input is kept
    persona.refresh_from_db()
    assert persona.present_share_override is None and persona.version == 1


def test_priority_outside_1_to_5_is_refused(marketer_client, persona):
    data = {**SECTION_DATA["adoption"], "priority": "9", "version": 1}
    response = marketer_client.post(edit_url(persona, "adoption"), data)
    assert response.status_code == 422
    assert "less than or equal to 5" in response.content.decode()


def test_overlong_text_is_refused_and_nothing_saved(marketer_client, persona):
    data = {**SECTION_DATA["goals"], "goals": "g" * 2001, "version": 1}
    response = marketer_client.post(edit_url(persona, "goals"), data)
    assert response.status_code == 422
    assert "at most 2000 characters" in response.content.decode()
    persona.refresh_from_db()
    assert persona.goals == ""


def test_missing_name_is_refused(marketer_client, persona):
    data = {**SECTION_DATA["profile"], "name": "", "version": 1}
    response = marketer_client.post(edit_url(persona, "profile"), data)
    assert response.status_code == 422
    assert "Give the persona a name." in response.content.decode()
    persona.refresh_from_db()
    assert persona.name == "Olivia"


def test_missing_version_is_a_form_error_not_a_crash(marketer_client, persona):
    response = marketer_client.post(edit_url(persona, "goals"), SECTION_DATA["goals"])
    assert response.status_code == 422


def test_stale_version_is_refused_with_two_clients(workspace, marketer, owner, persona):
    bob, alice = Client(), Client()
    bob.force_login(marketer)
    alice.force_login(owner)
    # Both open the goals form at version 1.
    assert 'name="version" value="1"' in bob.get(edit_url(persona, "goals")).content.decode()
    assert 'name="version" value="1"' in alice.get(edit_url(persona, "goals")).content.decode()
    # Alice saves first.
    alice_data = {**SECTION_DATA["goals"], "goals": "Alice's goal", "version": 1}
    assert alice.post(edit_url(persona, "goals"), alice_data, headers=HX).status_code == 200
    # Bob's save, based on version 1, is refused.
    bob_data = {**SECTION_DATA["goals"], "goals": "Bob's goal", "version": 1}
    response = bob.post(edit_url(persona, "goals"), bob_data, headers=HX)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Not saved: Alice Owner changed this persona" in html
    assert "Alice&#x27;s goal" in html and "Bob&#x27;s goal" in html  # theirs beside yours
    assert 'name="version" value="2"' in html  # a deliberate second save may replace theirs
    persona.refresh_from_db()
    assert persona.goals == "Alice's goal" and persona.version == 2
    # Bob saves again, knowingly.
    bob_data["version"] = 2
    assert bob.post(edit_url(persona, "goals"), bob_data, headers=HX).status_code == 200
    persona.refresh_from_db()
    assert persona.goals == "Bob's goal" and persona.version == 3


def test_stale_version_without_javascript_is_also_refused(marketer_client, owner, persona):
    Persona.objects.filter(pk=persona.pk).update(version=5, goals="Changed elsewhere")
    response = marketer_client.post(
        edit_url(persona, "goals"), {**SECTION_DATA["goals"], "version": 1}
    )
    assert response.status_code == 409
    assert "<header" in response.content.decode()
    persona.refresh_from_db()
    assert persona.goals == "Changed elsewhere"


def test_edits_to_different_sections_do_not_conflict(workspace, marketer, owner, persona):
    bob, alice = Client(), Client()
    bob.force_login(marketer)
    alice.force_login(owner)
    alice.post(edit_url(persona, "empathy"), {**SECTION_DATA["empathy"], "version": 1}, headers=HX)
    response = bob.post(
        edit_url(persona, "goals"), {**SECTION_DATA["goals"], "version": 1}, headers=HX
    )
    assert response.status_code == 200
    persona.refresh_from_db()
    assert persona.says == "Says X" and persona.goals == "Goal A\nGoal B" and persona.version == 3


def test_reviewer_may_not_edit(reviewer_client, persona):
    assert reviewer_client.get(edit_url(persona, "goals")).status_code == 403
    response = reviewer_client.post(
        edit_url(persona, "goals"), {**SECTION_DATA["goals"], "version": 1}
    )
    assert response.status_code == 403
    persona.refresh_from_db()
    assert persona.goals == ""


def test_outsider_gets_404(outsider_client, persona):
    assert (
        outsider_client.post(
            edit_url(persona, "goals"), {**SECTION_DATA["goals"], "version": 1}
        ).status_code
        == 404
    )

"""Evidence, freshness and the ratio suggestion."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from personas.models import Persona, ResearchNote
from tests.factories import PersonaFactory, ResearchNoteFactory

HX = {"HX-Request": "true"}


def url(name: str, persona, *extra) -> str:
    return reverse(f"personas:{name}", args=[persona.workspace.slug, persona.pk, *extra])


def test_add_a_research_note_in_place(marketer_client, marketer, workspace):
    persona = PersonaFactory(workspace=workspace)
    response = marketer_client.post(
        url("note_add", persona),
        {
            "kind": "survey",
            "date": "2026-10-01",
            "summary": "Survey of 140 customers",
            "link": "example.com/survey",
        },
        headers=HX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card section" id="section-evidence"')
    assert "Survey of 140 customers" in html
    note = ResearchNote.objects.get(persona=persona)
    assert note.workspace == workspace and note.created_by == marketer
    assert note.link == "https://example.com/survey"


def test_a_bad_note_shows_field_errors_and_saves_nothing(marketer_client, workspace):
    persona = PersonaFactory(workspace=workspace)
    response = marketer_client.post(
        url("note_add", persona),
        {"kind": "rumour", "date": "yesterday", "summary": "", "link": "not a url"},
        headers=HX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Select a valid choice" in html and "Enter a valid date" in html
    assert "This field is required" in html and "Enter a valid URL" in html
    assert not ResearchNote.objects.exists()


def test_remove_a_note(marketer_client, workspace):
    note = ResearchNoteFactory(persona=PersonaFactory(workspace=workspace))
    response = marketer_client.post(url("note_delete", note.persona, note.pk))
    assert response.status_code == 303
    assert not ResearchNote.objects.exists()


def test_a_note_of_another_persona_is_404(marketer_client, workspace):
    persona = PersonaFactory(workspace=workspace)
    other = ResearchNoteFactory(persona=PersonaFactory(workspace=workspace))
    assert marketer_client.post(url("note_delete", persona, other.pk)).status_code == 404
    assert ResearchNote.objects.filter(pk=other.pk).exists()


def test_mark_reviewed_records_who_and_when(marketer_client, marketer, workspace):
    persona = PersonaFactory(workspace=workspace)
    Persona.objects.filter(pk=persona.pk).update(created_at=timezone.now() - timedelta(days=400))
    assert (
        "Not reviewed in 180 days"
        in marketer_client.get(persona.get_absolute_url()).content.decode()
    )
    response = marketer_client.post(url("mark_reviewed", persona), headers=HX)
    assert "Last reviewed <strong>now</strong> by Bob Marketer" in response.content.decode()
    persona.refresh_from_db()
    assert persona.reviewed_by == marketer
    assert timezone.now() - persona.reviewed_at < timedelta(minutes=1)
    assert (
        "Not reviewed in 180 days"
        not in marketer_client.get(persona.get_absolute_url()).content.decode()
    )


def test_stale_threshold_comes_from_the_workspace(reviewer_client, workspace):
    workspace.stale_after_days = 30
    workspace.save()
    persona = PersonaFactory(workspace=workspace)
    Persona.objects.filter(pk=persona.pk).update(reviewed_at=timezone.now() - timedelta(days=31))
    assert (
        "Not reviewed in 30 days"
        in reviewer_client.get(persona.get_absolute_url()).content.decode()
    )


def test_assumption_only_flag_goes_once_real_research_is_added(marketer_client, workspace):
    persona = PersonaFactory(workspace=workspace)
    ResearchNoteFactory(persona=persona, kind="assumption")
    assert "Assumptions only" in marketer_client.get(persona.get_absolute_url()).content.decode()
    ResearchNoteFactory(persona=persona, kind="interviews")
    assert (
        "Assumptions only" not in marketer_client.get(persona.get_absolute_url()).content.decode()
    )


def test_suggestion_is_shown_but_never_applied_silently(marketer_client, workspace):
    persona = PersonaFactory(workspace=workspace, adoption_stage="laggard")
    html = marketer_client.get(persona.get_absolute_url()).content.decode()
    assert "Laggard: 90 / 10 suggested" in html
    assert "Use 90 / 10 for this persona" in html
    persona.refresh_from_db()
    assert persona.present_share_override is None and persona.present_share == 80


def test_use_suggestion_sets_the_override_in_one_click(marketer_client, workspace):
    persona = PersonaFactory(workspace=workspace, adoption_stage="innovator")
    response = marketer_client.post(
        url("use_suggestion", persona), {"version": persona.version}, headers=HX
    )
    assert response.status_code == 200
    persona.refresh_from_db()
    assert persona.present_share_override == 60
    assert "persona&#x27;s own" in response.content.decode()


def test_use_suggestion_follows_the_workspace_table(marketer_client, workspace):
    workspace.suggest_innovator = 55
    workspace.save()
    persona = PersonaFactory(workspace=workspace, adoption_stage="innovator")
    marketer_client.post(url("use_suggestion", persona), {"version": persona.version})
    persona.refresh_from_db()
    assert persona.present_share_override == 55


def test_use_suggestion_on_a_stale_page_is_refused(marketer_client, workspace):
    persona = PersonaFactory(workspace=workspace, adoption_stage="innovator")
    Persona.objects.filter(pk=persona.pk).update(version=3, present_share_override=75)
    response = marketer_client.post(url("use_suggestion", persona), {"version": 1}, headers=HX)
    assert response.status_code == 409
    assert "nothing was changed" in response.content.decode()
    persona.refresh_from_db()
    assert persona.present_share_override == 75


def test_reviewer_may_not_add_evidence_or_mark_reviewed(reviewer_client, workspace):
    persona = PersonaFactory(workspace=workspace)
    assert (
        reviewer_client.post(
            url("note_add", persona), {"kind": "survey", "date": "2026-01-01", "summary": "x"}
        ).status_code
        == 403
    )
    assert reviewer_client.post(url("mark_reviewed", persona)).status_code == 403
    assert reviewer_client.post(url("use_suggestion", persona), {"version": 1}).status_code == 403
    persona.refresh_from_db()
    assert persona.reviewed_at is None and not ResearchNote.objects.exists()

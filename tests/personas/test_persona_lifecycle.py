"""Archive, restore, duplicate and delete."""

from __future__ import annotations

from django.urls import reverse

from personas.models import Persona, ResearchNote
from tests.factories import PersonaFactory, ResearchNoteFactory


def url(name: str, persona) -> str:
    return reverse(f"personas:{name}", args=[persona.workspace.slug, persona.pk])


def test_archive_hides_from_the_list_and_restore_brings_it_back_intact(marketer_client, workspace):
    persona = PersonaFactory(workspace=workspace, name="Olivia", goals="Keep me")
    response = marketer_client.post(url("archive", persona))
    assert response.status_code == 303
    persona.refresh_from_db()
    assert persona.archived and persona.version == 2
    listing = marketer_client.get(reverse("personas:list", args=[workspace.slug])).content.decode()
    assert persona.get_absolute_url() not in listing
    assert "is archived" in marketer_client.get(persona.get_absolute_url()).content.decode()
    marketer_client.post(url("restore", persona))
    persona.refresh_from_db()
    assert not persona.archived and persona.goals == "Keep me"
    listing = marketer_client.get(reverse("personas:list", args=[workspace.slug])).content.decode()
    assert persona.get_absolute_url() in listing


def test_archive_needs_post(marketer_client, workspace):
    persona = PersonaFactory(workspace=workspace)
    assert marketer_client.get(url("archive", persona)).status_code == 405
    persona.refresh_from_db()
    assert not persona.archived


def test_reviewer_may_not_archive(reviewer_client, workspace):
    persona = PersonaFactory(workspace=workspace)
    assert reviewer_client.post(url("archive", persona)).status_code == 403
    persona.refresh_from_db()
    assert not persona.archived


def test_duplicate_copies_every_section_and_the_evidence(marketer_client, marketer, workspace):
    persona = PersonaFactory(
        workspace=workspace,
        name="Operations Olivia",
        goals="G",
        challenges="C",
        says="S",
        feels="F",
        quote="Q",
        adoption_stage="laggard",
        priority=5,
        present_share_override=90,
    )
    ResearchNoteFactory(persona=persona, summary="Interview notes")
    response = marketer_client.post(url("duplicate", persona))
    copy = Persona.objects.get(workspace=workspace, name="Copy of Operations Olivia")
    assert response.status_code == 303 and response["Location"] == copy.get_absolute_url()
    for field in [
        "goals",
        "challenges",
        "says",
        "feels",
        "quote",
        "adoption_stage",
        "priority",
        "present_share_override",
    ]:
        assert getattr(copy, field) == getattr(persona, field), field
    assert copy.created_by == marketer
    assert list(ResearchNote.objects.filter(persona=copy).values_list("summary", flat=True)) == [
        "Interview notes"
    ]
    assert ResearchNote.objects.get(persona=copy).workspace == workspace


def test_duplicate_copies_the_channel_mix(marketer_client, workspace):
    from channels.models import ChannelUsage, UsageObservation
    from tests.factories import ChannelUsageFactory

    persona = PersonaFactory(workspace=workspace, name="Olivia")
    ChannelUsageFactory(persona=persona, share=3, stage="core")
    ChannelUsageFactory(persona=persona, share=1, stage="emerging", trend="rising")
    marketer_client.post(url("duplicate", persona))
    copy = Persona.objects.get(name="Copy of Olivia")
    mix = sorted(
        ChannelUsage.objects.filter(persona=copy).values_list(
            "share", "stage", "trend", "workspace"
        )
    )
    assert [(int(s), st, t, w) for s, st, t, w in mix] == [
        (1, "emerging", "rising", workspace.pk),
        (3, "core", "steady", workspace.pk),
    ]
    assert UsageObservation.objects.filter(usage__persona=copy).count() == 2


def test_duplicate_of_a_long_name_stays_within_the_limit(marketer_client, workspace):
    persona = PersonaFactory(workspace=workspace, name="N" * 100)
    marketer_client.post(url("duplicate", persona))
    copy = Persona.objects.exclude(pk=persona.pk).get()
    assert len(copy.name) == 100 and copy.name.startswith("Copy of ")


def test_delete_confirmation_says_what_goes_with_it(owner_client, workspace):
    persona = PersonaFactory(workspace=workspace, name="Olivia")
    ResearchNoteFactory(persona=persona)
    ResearchNoteFactory(persona=persona)
    html = owner_client.get(url("delete", persona)).content.decode()
    assert "Delete Olivia for good?" in html
    assert "<strong>2</strong> research notes" in html
    assert "<strong>0</strong> channels in the persona&#x27;s mix" in html
    assert "archive it instead" in html


def test_owner_deletes_for_good(owner_client, workspace):
    persona = PersonaFactory(workspace=workspace)
    ResearchNoteFactory(persona=persona)
    response = owner_client.post(url("delete", persona))
    assert response.status_code == 303
    assert response["Location"] == reverse("personas:list", args=[workspace.slug])
    assert not Persona.objects.filter(pk=persona.pk).exists()
    assert not ResearchNote.objects.exists()


def test_marketer_and_reviewer_may_not_delete(marketer_client, reviewer_client, workspace):
    persona = PersonaFactory(workspace=workspace)
    for client in (marketer_client, reviewer_client):
        assert client.get(url("delete", persona)).status_code == 403
        assert client.post(url("delete", persona)).status_code == 403
    assert Persona.objects.filter(pk=persona.pk).exists()


def test_outsider_cannot_touch_another_workspaces_persona(outsider_client, workspace):
    persona = PersonaFactory(workspace=workspace)
    for name in ["archive", "restore", "duplicate", "delete"]:
        assert outsider_client.post(url(name, persona)).status_code == 404
    assert Persona.objects.filter(pk=persona.pk, archived=False).exists()
    assert Persona.objects.count() == 1

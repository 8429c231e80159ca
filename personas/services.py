"""Persona workflows. Views call these; they never write personas themselves."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from personas.models import Persona, ResearchNote
from personas.registry import PERSONA_DELETE_IMPACT, PERSONA_DUPLICATED
from workspaces.history import restore_fields
from workspaces.models import Workspace
from workspaces.versioning import delete_for_good, save_new, save_versioned, touch_versioned

if TYPE_CHECKING:
    from accounts.models import User

COPY_FIELDS = [
    "role_title", "segment", "company_size", "summary", "quote", "goals", "challenges",
    "objections", "buying_triggers", "says", "thinks", "does", "feels", "adoption_stage",
    "priority", "present_share_override",
]  # fmt: skip


def mark_personas(workspace_id: int, personas) -> None:
    """The ``personas`` (pks, or a subquery of them) changed, or their channel
    mix did: their mark moves on (``Persona.pace_revision``), in the same
    transaction, so that the pace kept for the workspace is worked out again
    for them alone."""
    Persona.objects.filter(workspace_id=workspace_id, pk__in=personas).update_bookkeeping(
        pace_revision=F("pace_revision") + 1
    )


def mark_persona(persona: Persona, fields: frozenset[str] | None = None) -> None:
    """A persona saved or deleted (``ROW_MARKS``), whichever ``fields``."""
    mark_personas(persona.workspace_id, [persona.pk])


def persona_create(*, workspace: Workspace, user: User, persona: Persona) -> Persona:
    """Store a new persona built by a form (``persona`` is unsaved)."""
    return save_new(persona, user=user, workspace=workspace, created_by=user, updated_by=user)


def persona_update(
    *, persona: Persona, expected_version: int, user: User, fields: list[str]
) -> None:
    """Save the edited ``fields`` unless someone saved the persona since ``expected_version``."""
    save_versioned(persona, expected_version=expected_version, user=user, update_fields=fields)


def persona_undo(
    *,
    instance: Persona,
    before,
    fields: list[str],
    expected_version: int,
    user: User,
    reason: str,
    sections: Sequence[Sequence[str]],
) -> None:
    """Put each section a change touched back as it was before it, as a new version;
    refused (``StaleVersion``) when those sections changed since ``expected_version``."""
    restored = [
        name for section in sections if any(name in section for name in fields) for name in section
    ]
    restore_fields(instance, before, restored, reason=reason)
    save_versioned(instance, expected_version=expected_version, user=user, update_fields=restored)


def persona_mark_reviewed(*, persona: Persona, user: User) -> None:
    persona.reviewed_at = timezone.now()
    persona.reviewed_by = user
    touch_versioned(persona, user=user, fields=["reviewed_at", "reviewed_by"])


def persona_use_suggestion(*, persona: Persona, expected_version: int, user: User) -> None:
    """Set the persona's own present share to what its adoption stage suggests."""
    persona.present_share_override = persona.suggested_present_share
    save_versioned(
        persona,
        expected_version=expected_version,
        user=user,
        update_fields=["present_share_override"],
    )


@transaction.atomic
def persona_duplicate(*, persona: Persona, user: User) -> Persona:
    """A full copy, "Copy of …", with every section and the evidence behind it."""
    copy = Persona(
        workspace=persona.workspace,
        name=f"Copy of {persona.name}"[: Persona._meta.get_field("name").max_length],
        created_by=user,
        updated_by=user,
        reviewed_at=persona.reviewed_at,
        reviewed_by=persona.reviewed_by,
        **{field: getattr(persona, field) for field in COPY_FIELDS},
    )
    copy._history_user = user
    copy.save()
    ResearchNote.objects.bulk_create(
        ResearchNote(
            workspace=persona.workspace,
            persona=copy,
            kind=note.kind,
            date=note.date,
            summary=note.summary,
            link=note.link,
            created_by=user,
        )
        for note in ResearchNote.objects.in_workspace(persona.workspace).filter(persona=persona)
    )
    for hook in PERSONA_DUPLICATED:
        hook(source=persona, target=copy, user=user)
    return copy


def persona_delete_impact(*, persona: Persona) -> list[tuple[str, int]]:
    """What goes with a persona deleted for good, for the confirmation page:
    its research notes, and what the apps above keep about it."""
    notes = ResearchNote.objects.in_workspace(persona.workspace).filter(persona=persona).count()
    impact = [("research notes", notes)]
    for hook in PERSONA_DELETE_IMPACT:
        impact.extend(hook(persona))
    return impact


def persona_delete(*, persona: Persona, user: User) -> None:
    delete_for_good(persona, user=user)


def research_note_add(*, persona: Persona, note: ResearchNote, user: User) -> ResearchNote:
    return save_new(note, user=user, workspace=persona.workspace, persona=persona, created_by=user)


def research_note_delete(*, note: ResearchNote, user: User) -> None:
    delete_for_good(note, user=user)

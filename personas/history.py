"""A persona's History tab: every change, who made it, when, and old → new."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from personas.models import Persona, ResearchNote

FIELD_ORDER = {f.name: i for i, f in enumerate(Persona._meta.fields)}
HIDDEN_FIELDS = {"version", "updated_by", "updated_at", "created_by", "created_at", "reviewed_by"}


@dataclass
class Change:
    label: str
    old: Any
    new: Any


@dataclass
class Event:
    at: datetime
    user: Any
    summary: str
    changes: list[Change] = field(default_factory=list)


def _shown(model, name: str, value: Any) -> Any:
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value in (None, ""):
        return "—"
    return value


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name).capitalize()


def persona_timeline(persona: Persona) -> list[Event]:
    """Newest first. Two queries, whatever the length of the history."""
    records = list(
        Persona.history.filter(id=persona.pk, workspace_id=persona.workspace_id)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    events: list[Event] = []
    previous = None
    for record in records:
        if previous is None or record.history_type == "+":
            events.append(Event(record.history_date, record.history_user, "created the persona"))
        else:
            delta = record.diff_against(previous)
            changes = [
                Change(
                    _label(Persona, c.field),
                    _shown(Persona, c.field, c.old),
                    _shown(Persona, c.field, c.new),
                )
                for c in sorted(delta.changes, key=lambda c: FIELD_ORDER.get(c.field, 0))
                if c.field not in HIDDEN_FIELDS
            ]
            if changes:
                names = ", ".join(c.label.lower() for c in changes)
                events.append(
                    Event(record.history_date, record.history_user, f"changed {names}", changes)
                )
        previous = record

    notes = (
        ResearchNote.history.filter(persona_id=persona.pk, workspace_id=persona.workspace_id)
        .select_related("history_user")
        .order_by("history_date")
    )
    for note in notes:
        kind = _shown(ResearchNote, "kind", note.kind).lower()
        if note.history_type == "+":
            summary = f"added a research note ({kind}, {note.date:%d %b %Y})"
        elif note.history_type == "-":
            summary = f"removed a research note ({kind}, {note.date:%d %b %Y})"
        else:
            summary = f"edited a research note ({kind})"
        events.append(
            Event(
                note.history_date,
                note.history_user,
                summary,
                [Change("Note", "—", note.summary)] if note.history_type == "+" else [],
            )
        )
    events.sort(key=lambda e: e.at, reverse=True)
    return events

"""Demo personas for the demo workspace: believable, across adoption stages."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from accounts.models import User
from personas.models import Persona, ResearchNote
from workspaces.models import Workspace
from workspaces.versioning import save_new, save_versioned

# The demo personas, as data: ages are in days before today.
PERSONAS = json.loads(Path(__file__).with_name("demo.json").read_text(encoding="utf-8"))


def seed_personas(workspace: Workspace, users: dict[str, User]) -> str:
    author = users.get("marketer")
    reviewer = users.get("owner")
    now = timezone.now()
    personas = []
    for spec in PERSONAS:
        spec = dict(spec)
        notes = spec.pop("notes")
        reviewed = spec.pop("reviewed_days_ago")
        # Sections first written otherwise, and edited since by someone else.
        earlier, edited_by = spec.pop("earlier", {}), users.get(spec.pop("edited_by", ""))
        persona = Persona.objects.in_workspace(workspace).filter(name=spec["name"]).first()
        if persona is None:
            if reviewed is not None:
                spec |= {"reviewed_at": now - timedelta(days=reviewed), "reviewed_by": reviewer}
            persona = save_new(
                Persona(**spec | earlier), user=author, workspace=workspace, created_by=author,
                updated_by=author,
            )  # fmt: skip
            if earlier:
                for name in earlier:
                    setattr(persona, name, spec[name])
                save_versioned(
                    persona, expected_version=1, user=edited_by, update_fields=[*earlier]
                )
            for kind, days_ago, summary in notes:
                date = (now - timedelta(days=days_ago)).date()
                note = ResearchNote(kind=kind, date=date, summary=summary)
                save_new(note, user=author, workspace=workspace, persona=persona, created_by=author)
        personas.append(persona)
    return f"{len(personas)} personas"

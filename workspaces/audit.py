"""What owners see of changes to their workspace: settings, members, invitations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from workspaces.models import Invitation, Membership, Workspace

LIMIT = 300
SETTING_LABELS = {f.name: str(f.verbose_name).capitalize() for f in Workspace._meta.fields}


@dataclass
class AuditEvent:
    at: datetime
    user: Any
    text: str
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)


def audit_events(workspace: Workspace) -> list[AuditEvent]:
    """Newest first. Three queries."""
    events = [
        *_settings_events(workspace),
        *_membership_events(workspace),
        *_invitation_events(workspace),
    ]
    events.sort(key=lambda e: e.at, reverse=True)
    return events[:LIMIT]


def _history(model, **lookup):
    return model.history.filter(**lookup).order_by("history_date", "history_id")


def _settings_events(workspace: Workspace) -> Iterator[AuditEvent]:
    previous = None
    for record in _history(Workspace, id=workspace.pk).select_related("history_user"):
        if previous is None:
            yield AuditEvent(record.history_date, record.history_user, "created the workspace")
        else:
            delta = record.diff_against(previous)
            changes = [(SETTING_LABELS.get(c.field, c.field), c.old, c.new) for c in delta.changes]
            if changes:
                yield AuditEvent(
                    record.history_date, record.history_user, "changed the settings", changes
                )
        previous = record


def _membership_events(workspace: Workspace) -> Iterator[AuditEvent]:
    records = _history(Membership, workspace_id=workspace.pk).select_related("history_user", "user")
    last_role: dict[int, str] = {}
    for record in records:
        who = record.user.display_name if record.user else "a former user"
        if record.history_type == "+":
            text = f"added {who} as {record.role}"
        elif record.history_type == "-":
            text = f"removed {who}"
        elif last_role.get(record.id) != record.role:
            text = f"made {who} {record.role} (was {last_role.get(record.id, '?')})"
        else:
            text = ""
        last_role[record.id] = record.role
        if text:
            yield AuditEvent(record.history_date, record.history_user, text)


def _invitation_events(workspace: Workspace) -> Iterator[AuditEvent]:
    for record in _history(Invitation, workspace_id=workspace.pk).select_related("history_user"):
        if record.history_type == "+":
            text = f"invited {record.email} as {record.role}"
        elif record.revoked_at and record.history_type == "~":
            text = f"revoked the invitation to {record.email}"
        elif record.accepted_at and record.history_type == "~":
            text = f"accepted the invitation sent to {record.email}"
        else:
            text = f"sent a new invitation link to {record.email}"
        yield AuditEvent(record.history_date, record.history_user, text)

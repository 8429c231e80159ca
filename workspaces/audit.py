"""What owners see of changes to their workspace: settings, members, invitations."""

from __future__ import annotations

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


def _role(value: str) -> str:
    return {"owner": "owner", "marketer": "marketer", "reviewer": "reviewer"}.get(value, value)


def audit_events(workspace: Workspace) -> list[AuditEvent]:
    """Newest first. Three queries."""
    events: list[AuditEvent] = []
    settings = list(
        Workspace.history.filter(id=workspace.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    previous = None
    for record in settings:
        if previous is None:
            events.append(
                AuditEvent(record.history_date, record.history_user, "created the workspace")
            )
        else:
            delta = record.diff_against(previous)
            changes = [(SETTING_LABELS.get(c.field, c.field), c.old, c.new) for c in delta.changes]
            if changes:
                events.append(
                    AuditEvent(
                        record.history_date, record.history_user, "changed the settings", changes
                    )
                )
        previous = record

    memberships = (
        Membership.history.filter(workspace_id=workspace.pk)
        .select_related("history_user", "user")
        .order_by("history_date", "history_id")
    )
    last_role: dict[int, str] = {}
    for record in memberships:
        who = record.user.display_name if record.user else "a former user"
        if record.history_type == "+":
            text = f"added {who} as {_role(record.role)}"
        elif record.history_type == "-":
            text = f"removed {who}"
        elif last_role.get(record.id) != record.role:
            text = f"made {who} {_role(record.role)} (was {_role(last_role.get(record.id, '?'))})"
        else:
            text = ""
        last_role[record.id] = record.role
        if text:
            events.append(AuditEvent(record.history_date, record.history_user, text))

    for record in (
        Invitation.history.filter(workspace_id=workspace.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    ):
        if record.history_type == "+":
            text = f"invited {record.email} as {_role(record.role)}"
        elif record.revoked_at and record.history_type == "~":
            text = f"revoked the invitation to {record.email}"
        elif record.accepted_at and record.history_type == "~":
            text = f"accepted the invitation sent to {record.email}"
        else:
            text = f"sent a new invitation link to {record.email}"
        events.append(AuditEvent(record.history_date, record.history_user, text))
    events.sort(key=lambda e: e.at, reverse=True)
    return events[:LIMIT]

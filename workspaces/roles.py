"""Who may do what in a workspace: the one table every view's gate reads.

It mirrors the role table of the product specification. Views never test a
role themselves; they declare the action they perform and the gate in
``workspaces.access`` checks it against this table.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    OWNER = "owner"
    MARKETER = "marketer"
    REVIEWER = "reviewer"


class Action(StrEnum):
    VIEW = "view"  # personas, channels, experiments, plans, dashboard
    EDIT = "edit"  # create / edit / archive domain data, draft plans, actuals
    DELETE = "delete"  # delete for good
    SUBMIT = "submit"  # submit a plan for review
    REVIEW = "review"  # approve or return a plan
    MANAGE = "manage"  # members, roles, workspace settings, delete workspace; every share link
    SHARE = "share"  # create read-only links for people without an account; revoke one's own


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.OWNER: frozenset(Action),
    Role.MARKETER: frozenset({Action.VIEW, Action.EDIT, Action.SUBMIT, Action.SHARE}),
    Role.REVIEWER: frozenset({Action.VIEW, Action.REVIEW}),
}

ROLE_DESCRIPTIONS: dict[str, str] = {
    Role.OWNER: "Everything, including members, settings, every share link and deleting for good.",
    Role.MARKETER: "Builds personas, channel mixes, experiments and plans; submits plans; shares read-only links.",
    Role.REVIEWER: "Reads everything; approves or returns plans.",
}

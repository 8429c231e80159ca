"""The demo workspace: people and workspaces. Each app adds its own demo data."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from accounts.models import User
from workspaces.models import Membership, Workspace
from workspaces.registry import workspace_created
from workspaces.roles import Role

DEMO_WORKSPACE = {"slug": "northwind", "name": "Northwind Analytics"}
SECOND_WORKSPACE = {"slug": "bluebird-coffee", "name": "Bluebird Coffee (agency client)"}
DEMO_PEOPLE = [
    ("owen@example.com", "Owen Park", Role.OWNER),
    ("maya@example.com", "Maya Chen", Role.MARKETER),
    ("ravi@example.com", "Ravi Shah", Role.REVIEWER),
]


def _workspace(slug: str, name: str) -> Workspace:
    workspace, created = Workspace.objects.get_or_create(slug=slug, defaults={"name": name})
    if created:
        workspace_created(workspace)
    return workspace


@dataclass
class DemoLogin:
    email: str
    name: str
    role: str
    password: str | None  # None: an existing account whose password was left alone


def seed_people(password: str | None) -> tuple[Workspace, list[DemoLogin], dict[str, User]]:
    workspace, second = (_workspace(**DEMO_WORKSPACE), _workspace(**SECOND_WORKSPACE))
    logins: list[DemoLogin] = []
    users: dict[str, User] = {}
    for email, name, role in DEMO_PEOPLE:
        user = User.objects.filter(email=email).first()
        shown: str | None = None
        if user is None:
            shown = password or secrets.token_urlsafe(9)
            user = User.objects.create_user(email, shown, name=name)
        elif password and not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
            shown = password
        elif password:
            shown = password
        Membership.objects.get_or_create(workspace=workspace, user=user, defaults={"role": role})
        users[role] = user
        logins.append(DemoLogin(email=email, name=name, role=Role(role).label, password=shown))
    Membership.objects.get_or_create(
        workspace=second, user=users[Role.OWNER], defaults={"role": Role.OWNER}
    )
    return workspace, logins, users

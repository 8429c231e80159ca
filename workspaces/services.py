from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from accounts.models import User
from workspaces.history import deleting_workspace
from workspaces.models import Membership, Workspace, WorkspaceAlias
from workspaces.registry import workspace_created
from workspaces.roles import Role


def unique_workspace_slug(name: str) -> str:
    base = slugify(name)[:40].strip("-") or "workspace"
    slug, n = base, 2
    while slug_taken(slug):
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def workspace_create(*, name: str, owner: User, slug: str = "") -> Workspace:
    """A new workspace, with its creator as owner and what every workspace starts
    with (the apps' ``WORKSPACE_CREATED`` hooks: the channel catalog)."""
    workspace = Workspace.objects.create(name=name, slug=slug or unique_workspace_slug(name))
    Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    workspace_created(workspace)
    return workspace


class MembershipRefused(Exception):
    """A change that would leave the workspace without an owner, or similar."""


def _owners(workspace: Workspace):
    return Membership.objects.filter(workspace=workspace, role=Role.OWNER)


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str, by: User) -> None:
    if (
        membership.role == Role.OWNER
        and role != Role.OWNER
        and _owners(membership.workspace).count() <= 1
    ):
        raise MembershipRefused(
            f"{membership.user} is the only owner: make someone else an owner first, so the workspace keeps one."
        )
    membership.role = role
    membership._history_user = by
    membership.save(update_fields=["role"])


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    if membership.role == Role.OWNER and _owners(membership.workspace).count() <= 1:
        raise MembershipRefused(
            f"{membership.user} is the only owner and cannot leave or be removed: make someone else an owner first."
        )
    membership._history_user = by
    membership.delete()


@transaction.atomic
def workspace_update_settings(*, workspace: Workspace, old_slug: str, by: User) -> None:
    """Save the settings form's changes. A new slug keeps the old one as an alias,
    so bookmarks and shared links still lead members to the workspace."""

    if workspace.slug != old_slug:
        WorkspaceAlias.objects.filter(slug=workspace.slug, workspace=workspace).delete()
        WorkspaceAlias.objects.get_or_create(slug=old_slug, defaults={"workspace": workspace})
    workspace._history_user = by
    workspace.save()


def slug_taken(slug: str, workspace: Workspace | None = None) -> bool:
    """Whether another workspace uses ``slug``, as its slug or as an old one."""

    others = Workspace.objects.filter(slug=slug)
    aliases = WorkspaceAlias.objects.filter(slug=slug)
    if workspace is not None:
        others = others.exclude(pk=workspace.pk)
        aliases = aliases.exclude(workspace=workspace)
    return others.exists() or aliases.exists()


def workspace_delete(*, workspace: Workspace, by: User | None) -> None:
    workspace._history_user = by
    with deleting_workspace(workspace.pk):
        workspace.delete()

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from accounts.models import User
from workspaces.models import Membership, Workspace
from workspaces.roles import Role


def unique_workspace_slug(name: str) -> str:
    base = slugify(name)[:40].strip("-") or "workspace"
    slug, n = base, 2
    while Workspace.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def workspace_create(*, name: str, owner: User, slug: str = "") -> Workspace:
    """A new workspace, with its creator as owner."""
    workspace = Workspace.objects.create(name=name, slug=slug or unique_workspace_slug(name))
    Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    from channels.services import catalog_create_default

    catalog_create_default(workspace=workspace)
    return workspace

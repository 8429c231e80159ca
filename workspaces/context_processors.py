from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from workspaces.access import LAST_WORKSPACE
from workspaces.models import Membership


def workspace(request: HttpRequest) -> dict:
    """The workspace the page belongs to, the user's role in it, and the switcher's list.

    Outside any workspace (the profile, the workspace list) the page keeps the
    navigation of the workspace last opened, read from the switcher's own list."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current, membership = getattr(request, "workspace", None), getattr(request, "membership", None)
    last = request.COOKIES.get(LAST_WORKSPACE) if current is None else None
    if last:
        memberships = list(Membership.objects.for_user(user))
        membership = next((m for m in memberships if m.workspace.slug == last), None)
        current = membership.workspace if membership else None
        mine = memberships
    elif membership is not None and hasattr(membership, "mine"):
        mine = membership.mine  # read with the membership, by the workspace gate
    else:
        # Evaluated only by the header's switcher: one query, whatever the page.
        mine = SimpleLazyObject(lambda: list(Membership.objects.for_user(user)))
    return {"workspace": current, "membership": membership, "my_memberships": mine}

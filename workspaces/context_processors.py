from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from workspaces.models import Membership


def workspace(request: HttpRequest) -> dict:
    """The workspace the page belongs to, the user's role in it, and the switcher's list."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "workspace": getattr(request, "workspace", None),
        "membership": getattr(request, "membership", None),
        # Evaluated only by the header's switcher: one query, whatever the page.
        "my_memberships": SimpleLazyObject(lambda: list(Membership.objects.for_user(user))),
    }

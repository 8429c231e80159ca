"""The one gate between a request and a workspace's data, for pages and the API.

``@workspace_view(Action.X)`` resolves ``/w/<workspace_slug>/`` to the
workspace and the signed-in user's membership, answers 404 to anyone who is not
a member (the workspace's existence is never revealed), 403 to a member whose
role may not perform the action, and calls the view with the workspace. The
membership is on ``request.membership`` for the templates.

``workspace_gate(request, slug, Action.X)`` is the same gate for an API
endpoint, whose user comes from its token: the same lookup and role check,
answered as JSON errors.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, wraps
from typing import TYPE_CHECKING, Concatenate, ParamSpec

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from ninja.errors import HttpError

from workspaces.models import Membership, Workspace, WorkspaceAlias
from workspaces.registry import MEMBERSHIP_ANNOTATIONS
from workspaces.roles import Action

if TYPE_CHECKING:
    from accounts.models import User

P = ParamSpec("P")


class WorkspaceRequest(HttpRequest):
    """The request a workspace view receives (for type checkers)."""

    user: User
    workspace: Workspace
    membership: Membership


WorkspaceView = Callable[Concatenate[WorkspaceRequest, Workspace, P], HttpResponse]


class RenamedWorkspace(Exception):
    """The URL names an old slug of a workspace the user belongs to."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new


@cache
def _annotated_memberships() -> QuerySet[Membership]:
    """Memberships with what the apps read beside each (``MEMBERSHIP_ANNOTATIONS``,
    filled in as the apps start), built once: every page filters it by its
    reader, instead of resolving the same annotations again. Never evaluated
    itself, only its filtered copies."""
    annotations = {name: make() for name, make in MEMBERSHIP_ANNOTATIONS.items()}
    return Membership.objects.annotate(**annotations)


def membership_for(user: User | None, workspace_slug: str, *, aliases: bool = True) -> Membership:
    """The user's membership of the workspace the URL names, or 404. ``aliases``:
    an old slug of a workspace the user belongs to raises ``RenamedWorkspace``."""
    if user is None or not user.is_authenticated:
        raise Http404("No such workspace.")
    # All the user's memberships in one query: the page's header lists them in
    # its workspace switcher (``mine``), and the one the URL names is among them.
    mine = list(_annotated_memberships().for_user(user))
    membership = next((m for m in mine if m.workspace.slug == workspace_slug), None)
    if membership is not None:
        membership.mine = mine
    if membership is None:
        alias = (
            WorkspaceAlias.objects.filter(slug=workspace_slug, workspace__memberships__user=user)
            .select_related("workspace")
            .first()
            if aliases
            else None
        )
        if alias is not None:
            raise RenamedWorkspace(workspace_slug, alias.workspace.slug)
        raise Http404("No such workspace.")
    return membership


# A cookie remembers the workspace last opened, so pages outside any workspace
# (the profile, the workspace list) keep its navigation. It holds only a slug,
# which the page checks against the user's memberships before showing anything.
LAST_WORKSPACE = "pk_workspace"


def remember_workspace(request: HttpRequest, response: HttpResponse, slug: str) -> None:
    if request.COOKIES.get(LAST_WORKSPACE) != slug:
        response.set_cookie(
            LAST_WORKSPACE,
            slug,
            max_age=settings.SESSION_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


def allow(membership: Membership, action: Action) -> None:
    """403 for a role that may not perform ``action`` (``workspaces.roles`` says who may)."""
    if not membership.can(action):
        raise PermissionDenied(
            f"A {membership.get_role_display().lower()} cannot {action.value} here."
        )


def workspace_view(
    action: Action = Action.VIEW,
) -> Callable[[WorkspaceView[P]], Callable[..., HttpResponse]]:
    def decorator(view: WorkspaceView[P]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def gate(
            request: HttpRequest, workspace_slug: str, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponse:
            try:
                membership = membership_for(request.user, workspace_slug)
            except RenamedWorkspace as renamed:
                # Old links of a renamed workspace keep working for its members.
                prefix = f"/w/{renamed.old}/"
                path = request.get_full_path()
                return HttpResponseRedirect(path.replace(prefix, f"/w/{renamed.new}/", 1))
            # Set before the role check: a 403 page keeps the workspace's navigation.
            request.workspace = membership.workspace
            request.membership = membership
            allow(membership, action)
            response = view(request, membership.workspace, *args, **kwargs)  # type: ignore[arg-type]
            remember_workspace(request, response, membership.workspace.slug)
            return response

        gate.workspace_action = action  # type: ignore[attr-defined]
        return gate

    return decorator


def workspace_gate(request: HttpRequest, slug: str, action: Action = Action.VIEW) -> Workspace:
    """The gate of an API endpoint: the workspace ``slug`` names, for the token's
    user (``request.auth``); 404 to non-members and old addresses, 403 to roles
    that may not act, as JSON."""
    try:
        membership = membership_for(request.auth, slug, aliases=False)
        allow(membership, action)
    except Http404:
        raise HttpError(404, "No such workspace.") from None
    except PermissionDenied as refused:
        raise HttpError(403, str(refused)) from None
    request.membership = membership
    return membership.workspace

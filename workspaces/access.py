"""The one gate between a request and a workspace's data.

``@workspace_view(Action.X)`` resolves ``/w/<workspace_slug>/`` to the
workspace and the signed-in user's membership, answers 404 to anyone who is not
a member (the workspace's existence is never revealed), 403 to a member whose
role may not perform the action, and calls the view with the workspace. The
membership is on ``request.membership`` for the templates.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Concatenate, ParamSpec

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect

from workspaces.models import Membership, Workspace, WorkspaceAlias
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


def membership_for(request: HttpRequest, workspace_slug: str) -> Membership:
    """The signed-in user's membership of the workspace the URL names, or 404."""
    if not request.user.is_authenticated:
        raise Http404("No such workspace.")
    membership = (
        Membership.objects.select_related("workspace")
        .filter(workspace__slug=workspace_slug, user=request.user)
        .first()
    )
    if membership is None:
        alias = (
            WorkspaceAlias.objects.filter(
                slug=workspace_slug, workspace__memberships__user=request.user
            )
            .select_related("workspace")
            .first()
        )
        if alias is not None:
            raise RenamedWorkspace(workspace_slug, alias.workspace.slug)
        raise Http404("No such workspace.")
    return membership


def workspace_view(
    action: Action = Action.VIEW,
) -> Callable[[WorkspaceView[P]], Callable[..., HttpResponse]]:
    def decorator(view: WorkspaceView[P]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def gate(
            request: HttpRequest, workspace_slug: str, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponse:
            try:
                membership = membership_for(request, workspace_slug)
            except RenamedWorkspace as renamed:
                # Old links of a renamed workspace keep working for its members.
                prefix = f"/w/{renamed.old}/"
                path = request.get_full_path()
                return HttpResponseRedirect(path.replace(prefix, f"/w/{renamed.new}/", 1))
            if not membership.can(action):
                raise PermissionDenied(
                    f"A {membership.get_role_display().lower()} cannot {action.value} here."
                )
            request.workspace = membership.workspace
            request.membership = membership
            return view(request, membership.workspace, *args, **kwargs)  # type: ignore[arg-type]

        gate.workspace_action = action  # type: ignore[attr-defined]
        return gate

    return decorator

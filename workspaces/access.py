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
from django.http import Http404, HttpRequest, HttpResponse

from workspaces.models import Membership, Workspace
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
            membership = membership_for(request, workspace_slug)
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

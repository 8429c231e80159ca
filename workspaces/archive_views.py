"""Archive and restore, one shape for every kind of object that has them.

Archived objects leave lists, pickers and new plans and come back intact on
restore; the change is a new version, in the object's history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from pacekeeper.htmx import see_other
from workspaces.access import WorkspaceRequest, workspace_view
from workspaces.models import Workspace
from workspaces.roles import Action
from workspaces.versioning import set_archived


def _done(request: WorkspaceRequest, obj: Any, message: str) -> HttpResponse:
    messages.success(request, message)
    return see_other(request, obj.get_absolute_url())


def archive_views(
    get_object: Callable[[Workspace, int], Any],
    *,
    archived: str,
    restored: str,
    respond: Callable[[WorkspaceRequest, Any, str], HttpResponse] = _done,
) -> tuple[Callable[..., HttpResponse], Callable[..., HttpResponse]]:
    """The archive and restore views of one kind: ``get_object(workspace, pk)``
    finds it (or 404); ``archived`` and ``restored`` are the messages, formatted
    with ``obj``; ``respond(request, obj, message)`` answers (by default: the
    message, then the object's page)."""

    def view(archive: bool, message: str) -> Callable[..., HttpResponse]:
        @require_POST
        @workspace_view(Action.EDIT)
        def step(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
            obj = get_object(workspace, pk)
            set_archived(obj, archived=archive, user=request.user)
            return respond(request, obj, message.format(obj=obj))

        return step

    return view(True, archived), view(False, restored)

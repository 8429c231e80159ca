from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from workspaces.access import WorkspaceRequest, workspace_view
from workspaces.models import Workspace


@require_GET
@workspace_view()
def persona_list(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    return render(request, "personas/list.html", {})

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from pacekeeper.htmx import form_status, see_other
from workspaces.forms import WorkspaceCreateForm
from workspaces.models import Membership
from workspaces.services import workspace_create


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Where a signed-in user lands: their only workspace, or the picker."""
    memberships = list(Membership.objects.for_user(request.user)[:2])
    if len(memberships) == 1:
        return redirect(memberships[0].workspace)
    return redirect("workspaces:list")


@require_GET
def workspace_list(request: HttpRequest) -> HttpResponse:
    memberships = Membership.objects.for_user(request.user)
    return render(request, "workspaces/list.html", {"memberships": memberships})


@require_http_methods(["GET", "POST"])
def workspace_new(request: HttpRequest) -> HttpResponse:
    form = WorkspaceCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        workspace = workspace_create(
            name=form.cleaned_data["name"], slug=form.cleaned_data["slug"], owner=request.user
        )
        messages.success(request, f"Workspace “{workspace.name}” is ready. You are its owner.")
        return see_other(request, workspace.get_absolute_url())
    return render(request, "workspaces/new.html", {"form": form}, status=form_status(request, form))

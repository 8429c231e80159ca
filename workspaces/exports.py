"""A workspace's data as CSV or Excel: one view per export (``registry.EXPORT_KINDS``).

An export of up to ``EXPORT_TASK_THRESHOLD`` rows is written in the request. A
larger one asks first, on a page of its own, and a POST hands it to the worker:
the job's page shows its progress, and the file is then downloaded there by
whoever asked for it (and only them); they are told when it is ready.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from pacekeeper.htmx import render_page, see_other
from pacekeeper.spreadsheets import table_response
from workspaces.access import WorkspaceRequest, workspace_view
from workspaces.models import Workspace
from workspaces.registry import ExportKind, export_kind
from workspaces.tasks import start_export


def export_view(key: str) -> Callable[..., HttpResponse]:
    """A view answering ``<name>.csv`` (the first sheet) or ``<name>.xlsx`` (every
    sheet) for anyone who may view the workspace."""

    @require_http_methods(["GET", "POST"])
    @workspace_view()
    def export(request: WorkspaceRequest, workspace: Workspace, fmt: str) -> HttpResponse:
        kind = export_kind(key)
        return export_response(request, workspace, kind, fmt, kind.options(workspace, request.GET))

    return export


def export_response(
    request: WorkspaceRequest,
    workspace: Workspace,
    kind: ExportKind,
    fmt: str,
    options: dict[str, Any],
) -> HttpResponse:
    """The file, written now; or, past the threshold, the page asking first
    (GET) and the job writing it (POST). ``options`` are plain values the
    worker gets too; a view of one object's export (a plan's) gives its key."""
    export = kind.prepare(workspace, options)
    rows = export.rows(fmt)
    if rows <= settings.EXPORT_TASK_THRESHOLD:
        return table_response(fmt, export.filename(), export.tables(fmt))
    if request.method == "POST":  # to the same address: the query's filters kept
        job = start_export(export, fmt, user=request.user, rows=rows)
        return see_other(request, reverse("imports:job", args=[workspace.slug, job.pk]))
    context = {"name": export.title, "fmt": fmt, "rows": rows}
    return render_page(request, "workspaces/export_start.html", context)

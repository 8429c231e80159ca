"""A workspace's data as CSV or Excel: one view per export (``registry.EXPORT_KINDS``).

An export of up to ``EXPORT_TASK_THRESHOLD`` rows is written in the request. A
larger one asks first, on a page of its own, and a POST hands it to the worker:
the job's page shows its progress, and the file is then downloaded there by
whoever asked for it (and only them); they are told when it is ready.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from pacekeeper.htmx import render_page, see_other
from pacekeeper.spreadsheets import table_response
from workspaces.access import WorkspaceRequest, workspace_view
from workspaces.models import Workspace
from workspaces.registry import export_kind
from workspaces.tasks import start_export


def export_view(key: str) -> Callable[..., HttpResponse]:
    """A view answering ``<name>.csv`` (the first sheet) or ``<name>.xlsx`` (every
    sheet) for anyone who may view the workspace."""

    @require_http_methods(["GET", "POST"])
    @workspace_view()
    def export(request: WorkspaceRequest, workspace: Workspace, fmt: str) -> HttpResponse:
        kind = export_kind(key)
        options = kind.options(workspace, request.GET)
        rows = kind.rows(workspace, fmt, options)
        if rows <= settings.EXPORT_TASK_THRESHOLD:
            return table_response(
                fmt,
                f"{workspace.slug} {kind.name}",
                [
                    (sheet.title, sheet.header, partial(sheet.rows, workspace, **options))
                    for sheet in kind.sheets_for(fmt)
                ],
            )
        if request.method == "POST":  # to the same address: the query's filters kept
            job = start_export(workspace, kind, fmt, options, user=request.user, rows=rows)
            return see_other(request, reverse("imports:job", args=[workspace.slug, job.pk]))
        context = {"kind": kind, "fmt": fmt, "rows": rows}
        return render_page(request, "workspaces/export_start.html", context)

    return export

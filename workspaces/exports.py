"""A workspace's data as CSV or Excel: one view per export, built from its sheets."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from pacekeeper.spreadsheets import table_response
from workspaces.access import WorkspaceRequest, workspace_view
from workspaces.models import Workspace

# (title, header, the rows of a workspace)
ExportSheet = tuple[str, Sequence[str], Callable[[Workspace], Iterable[Sequence[Any]]]]


def export_view(name: str, sheets: Sequence[ExportSheet]) -> Callable[..., HttpResponse]:
    """A view answering ``<name>.csv`` (the first sheet) or ``<name>.xlsx`` (every
    sheet) for anyone who may view the workspace."""

    @require_GET
    @workspace_view()
    def export(request: WorkspaceRequest, workspace: Workspace, fmt: str) -> HttpResponse:
        return table_response(
            fmt,
            f"{workspace.slug} {name}",
            [(title, header, partial(rows, workspace)) for title, header, rows in sheets],
        )

    return export

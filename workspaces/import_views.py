"""Spreadsheet imports: upload, preview every row, then import all of them or none."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from channels import imports as usage_imports
from pacekeeper.htmx import render_page, see_other
from pacekeeper.spreadsheets import UploadRefused, read_table, table_response
from personas import imports as persona_imports
from workspaces.access import WorkspaceRequest, workspace_view
from workspaces.models import ImportBatch, Workspace
from workspaces.roles import Action

PREVIEW_ROWS = 200


@dataclass(frozen=True)
class Kind:
    key: str
    title: str
    noun: str
    module: Any
    done_url: str  # URL name the import returns to


KINDS = {
    kind.key: kind
    for kind in [
        Kind("personas", "Import personas", "persona", persona_imports, "personas:list"),
        Kind("usages", "Import channel mixes", "channel usage", usage_imports, "channels:list"),
    ]
}


def _kind(key: str) -> Kind:
    if key not in KINDS:
        raise Http404("No such import.")
    return KINDS[key]


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV or Excel file",
        help_text="A .csv (UTF-8) or .xlsx file of 5 MB at most, with the template's columns on its first line.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


@require_http_methods(["GET", "POST"])
@workspace_view(Action.EDIT)
def upload(request: WorkspaceRequest, workspace: Workspace, kind: str) -> HttpResponse:
    spec = _kind(kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"spec": spec, "form": form, "columns": spec.module.COLUMNS}
    if request.method == "POST":
        if form.is_valid():
            upload_file = form.cleaned_data["file"]
            try:
                _header, rows = read_table(upload_file)
            except UploadRefused as refused:
                form.add_error("file", str(refused))
            else:
                batch = ImportBatch.objects.create(
                    workspace=workspace,
                    kind=kind,
                    filename=upload_file.name[:200],
                    rows=rows,
                    created_by=request.user,
                )
                return see_other(
                    request, reverse("imports:preview", args=[workspace.slug, batch.pk])
                )
        return render_page(request, "workspaces/import_upload.html", context, status=422)
    return render_page(request, "workspaces/import_upload.html", context)


@require_GET
@workspace_view(Action.EDIT)
def template(request: WorkspaceRequest, workspace: Workspace, kind: str, fmt: str) -> HttpResponse:
    spec = _kind(kind)
    return table_response(
        fmt,
        f"pacekeeper {kind} template",
        [(spec.title, spec.module.COLUMNS, spec.module.example_rows)],
    )


def _batch(workspace: Workspace, pk: int) -> ImportBatch:
    return ImportBatch.objects.in_workspace(workspace).get_or_404(pk=pk)


def _preview_page(
    request: WorkspaceRequest, batch: ImportBatch, result, *, status: int = 200
) -> HttpResponse:
    spec = _kind(batch.kind)
    rows = result.rows
    context = {
        "spec": spec,
        "batch": batch,
        "result": result,
        "shown": [r for r in rows if r.status == "error"][:PREVIEW_ROWS]
        + [r for r in rows if r.status != "error"][:PREVIEW_ROWS],
        "hidden": max(0, len(rows) - PREVIEW_ROWS * 2),
        "warnings": [r for r in rows if r.warnings][:PREVIEW_ROWS],
    }
    return render_page(request, "workspaces/import_preview.html", context, status=status)


@require_GET
@workspace_view(Action.EDIT)
def preview(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    batch = _batch(workspace, pk)
    result = _kind(batch.kind).module.preview(workspace, batch.rows)
    return _preview_page(request, batch, result)


@require_POST
@workspace_view(Action.EDIT)
def commit(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    batch = _batch(workspace, pk)
    spec = _kind(batch.kind)
    options = (
        {"create_channels": request.POST.get("create_channels") == "yes"}
        if batch.kind == "usages"
        else {}
    )
    result = spec.module.commit(workspace, batch.rows, user=request.user, **options)
    if not result.ok:
        messages.error(request, "Nothing was imported: some rows need fixing first.")
        return _preview_page(request, batch, result, status=422)
    if getattr(result, "new_channels", None) and not options.get("create_channels"):
        messages.error(
            request, "Tick “add the missing channels to the catalog” to import these rows."
        )
        return _preview_page(request, batch, result, status=422)
    counts = result.counts
    batch.delete()
    messages.success(
        request,
        f"Imported {counts['new']} new and {counts['update']} updated {spec.noun}{'s' if counts['new'] + counts['update'] != 1 else ''}.",
    )
    return see_other(request, reverse(spec.done_url, args=[workspace.slug]))


@require_POST
@workspace_view(Action.EDIT)
def cancel(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    batch = _batch(workspace, pk)
    spec = _kind(batch.kind)
    batch.delete()
    messages.success(request, "Import cancelled: nothing was changed.")
    return see_other(request, reverse("imports:upload", args=[workspace.slug, spec.key]))

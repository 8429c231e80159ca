"""Spreadsheet imports: upload, preview every row, then import all of them or none.

One flow for every kind of import; the apps register their kinds
(``workspaces.registry.IMPORT_KINDS``): personas, channel mixes, recorded effort.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pacekeeper.htmx import render_page, see_other
from pacekeeper.imports import Preview
from pacekeeper.spreadsheets import UploadRefused, read_table, table_response
from workspaces.access import WorkspaceRequest, workspace_view
from workspaces.history import history_marks, record_since
from workspaces.models import ExportFile, ImportBatch, Job, Workspace
from workspaces.registry import ImportKind, import_kind
from workspaces.roles import Action
from workspaces.tasks import import_done_message, recent_jobs, start_import

PREVIEW_ROWS = 200


def _kind(key: str) -> ImportKind:
    kind = import_kind(key)
    if kind is None:
        raise Http404("No such import.")
    return kind


def _upload_url(workspace: Workspace, kind: ImportKind, options: dict[str, Any]) -> str:
    url = reverse("imports:upload", args=[workspace.slug, kind.key])
    return f"{url}?{urlencode(options)}" if options else url


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
    options = spec.options(workspace, request.GET)
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {
        "spec": spec,
        "form": form,
        "scope": spec.scope(workspace, options) if spec.scope else "",
        "query": urlencode(options),
    }
    if request.method != "POST":
        return render_page(request, "workspaces/import_upload.html", context)
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
                options=options,
                filename=upload_file.name[:200],
                rows=rows,
                created_by=request.user,
            )
            return see_other(request, reverse("imports:preview", args=[workspace.slug, batch.pk]))
    return render_page(request, "workspaces/import_upload.html", context, status=422)


@require_GET
@workspace_view(Action.EDIT)
def template(request: WorkspaceRequest, workspace: Workspace, kind: str, fmt: str) -> HttpResponse:
    spec = _kind(kind)
    return table_response(
        fmt, f"pacekeeper {kind} template", [(spec.title, spec.columns, spec.example_rows)]
    )


def _batch(workspace: Workspace, pk: int) -> tuple[ImportBatch, ImportKind]:
    batch = ImportBatch.objects.in_workspace(workspace).select_related("job").get_or_404(pk=pk)
    return batch, _kind(batch.kind)


def _at_work(batch: ImportBatch) -> bool:
    """The batch is in the worker's hands (queued, running or to be retried)."""
    return batch.job_id is not None and not batch.job.finished


def _preview_page(
    request: WorkspaceRequest, batch: ImportBatch, result: Preview, *, status: int = 200
) -> HttpResponse:
    spec, rows = _kind(batch.kind), result.rows
    context = {
        "spec": spec,
        "batch": batch,
        "result": result,
        "upload_url": _upload_url(batch.workspace, spec, batch.options),
        "scope": spec.scope(batch.workspace, batch.options) if spec.scope else "",
        "shown": [r for r in rows if r.status == "error"][:PREVIEW_ROWS]
        + [r for r in rows if r.status != "error"][:PREVIEW_ROWS],
        "hidden": max(0, len(rows) - PREVIEW_ROWS * 2),
        "warnings": [r for r in rows if r.warnings][:PREVIEW_ROWS],
    }
    return render_page(request, "workspaces/import_preview.html", context, status=status)


@require_GET
@workspace_view(Action.EDIT)
def preview(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    batch, spec = _batch(workspace, pk)
    if _at_work(batch):
        return see_other(request, batch.job.get_absolute_url())
    return _preview_page(request, batch, spec.preview(workspace, batch.rows, **batch.options))


@require_POST
@workspace_view(Action.EDIT)
def commit(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    batch, spec = _batch(workspace, pk)
    confirmed = request.POST.get("create_channels") == "yes"
    if _at_work(batch):
        return see_other(request, batch.job.get_absolute_url())
    if len(batch.rows) > settings.IMPORT_TASK_THRESHOLD:
        job = start_import(batch, user=request.user, confirmed=confirmed)
        return see_other(request, reverse("imports:job", args=[workspace.slug, job.pk]))
    marks = history_marks()
    result = spec.commit(
        workspace, batch.rows, user=request.user, confirmed=confirmed, **batch.options
    )
    if not result.ok:
        messages.error(request, "Nothing was imported: some rows need fixing first.")
        return _preview_page(request, batch, result, status=422)
    if result.new_channels and not confirmed:
        messages.error(
            request, "Tick “add the missing channels to the catalog” to import these rows."
        )
        return _preview_page(request, batch, result, status=422)
    batch.delete()
    record_since(workspace, marks)  # rows saved in bulk send no signal each
    messages.success(request, import_done_message(spec, result, batch.options))
    return see_other(request, spec.done_url(workspace, batch.options))


@require_POST
@workspace_view(Action.EDIT)
def cancel(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    batch, spec = _batch(workspace, pk)
    if _at_work(batch):
        messages.error(request, "The import is under way and can no longer be cancelled.")
        return see_other(request, batch.job.get_absolute_url())
    batch.delete()
    messages.success(request, "Import cancelled: nothing was changed.")
    return see_other(request, _upload_url(workspace, spec, batch.options))


def _visible_jobs(request: WorkspaceRequest, workspace: Workspace):
    """Those who may edit see every job (imports change what they edit); the
    others see the work they started themselves (their exports)."""
    jobs = Job.objects.in_workspace(workspace)
    if not request.membership.can(Action.EDIT):
        jobs = jobs.filter(started_by=request.user)
    return jobs


@require_GET
@workspace_view(Action.VIEW)
def job(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """A large import's or export's progress: htmx polls the bar; without
    JavaScript the page refreshes itself until the work is done. A finished
    export offers its file to whoever asked for it."""
    job = _visible_jobs(request, workspace).select_related("started_by").get_or_404(pk=pk)
    download = None
    if job.status == Job.Status.DONE and job.started_by_id == request.user.pk:
        files = ExportFile.objects.in_workspace(workspace).filter(job=job)
        download = files.values_list("filename", flat=True).first()
    context = {"job": job, "download": download}
    return render_page(request, "workspaces/job.html", context, partial="progress")


@require_GET
@workspace_view(Action.VIEW)
def job_download(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """The file an export job wrote, for the person who asked for it only."""
    found = (
        ExportFile.objects.in_workspace(workspace)
        .filter(job_id=pk, job__started_by=request.user)
        .get_or_404()
    )
    response = HttpResponse(bytes(found.data), content_type=found.content_type)
    response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    return response


JOBS_PER_PAGE = 25


@require_GET
@workspace_view(Action.MANAGE)
def jobs(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """Background work in the workspace, newest first, failures included: for owners."""
    page = Paginator(recent_jobs(workspace), JOBS_PER_PAGE).get_page(request.GET.get("page"))
    return render_page(request, "workspaces/jobs.html", {"page": page})

"""Work the worker does for a workspace: large imports and exports.

An import of more rows than ``IMPORT_TASK_THRESHOLD`` is handed to the worker
as a ``Job``: the request answers at once with a progress page, and the worker
checks the rows, saves them all or none, and says how it ended. An export of
more rows than ``EXPORT_TASK_THRESHOLD`` likewise: the worker writes the file
(an ``ExportFile``) for the person who asked, who downloads it from the job's
page. Smaller ones stay in the request.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from pacekeeper.spreadsheets import table_response
from pacekeeper.tasks import GiveUp, enqueue, retrying_task
from workspaces.history import history_marks, record_since
from workspaces.models import ExportFile, ImportBatch, Job, Workspace
from workspaces.registry import PreparedExport, export_kind, import_kind, job_finished


def import_done_message(spec, result, options: dict[str, Any]) -> str:
    """What the page says after an import: "Imported 3 new and 1 updated personas."."""
    if spec.done_message is not None:
        return spec.done_message(result, options)
    counts = result.counts
    plural = "s" if counts["new"] + counts["update"] != 1 else ""
    return f"Imported {counts['new']} new and {counts['update']} updated {spec.noun}{plural}."


def start_import(batch: ImportBatch, *, user, confirmed: bool) -> Job:
    """Hand ``batch`` to the worker; its job says how far it got."""
    rows = len(batch.rows)
    job = Job.objects.create(
        workspace=batch.workspace,
        title=f"Import of {batch.filename} ({rows:,} rows)",
        stage="Waiting for the worker",
        started_by=user,
    )
    batch.job = job
    batch.save(update_fields=["job"])
    enqueue(run_import, job.pk, confirmed=confirmed)
    return job


def _import_failed(args: tuple, kwargs: dict, problem: BaseException, final: bool) -> None:
    job = Job.objects.select_related("workspace").filter(pk=args[0]).first()
    if job is None:
        return
    if isinstance(problem, GiveUp):
        message = str(problem)
    elif final:
        message = f"The import stopped with an error and nothing was saved: {problem}"[:2000]
    else:
        message = "The import hit an error; nothing was saved and it will be tried again shortly."
    status = Job.Status.FAILED if final else Job.Status.RETRYING
    job.record(status=status, message=message, finished_at=timezone.now() if final else None)
    if final:
        job_finished(job)


@retrying_task(attempts=3, backoff=30, on_failure=_import_failed)
def run_import(job_id: int, *, confirmed: bool = False, attempt: int = 1) -> str:
    """Check and save the rows of the batch the job holds. Runs again safely:
    a finished job is left alone, and the rows and the batch's removal are
    saved in one transaction."""
    job = Job.objects.select_related("workspace").filter(pk=job_id).first()
    if job is None or job.finished:
        return "nothing to do"
    batch = ImportBatch.objects.in_workspace(job.workspace).filter(job=job).first()
    spec = import_kind(batch.kind) if batch else None
    if batch is None or spec is None:
        raise GiveUp("The uploaded file is gone: upload it again.")
    rows = len(batch.rows)
    job.record(
        status=Job.Status.RUNNING, attempts=attempt, progress=10, stage=f"Checking {rows:,} rows"
    )
    checked = spec.preview(job.workspace, batch.rows, **batch.options)
    if not checked.ok:
        raise GiveUp("Nothing was imported: some rows need fixing first.")
    if checked.new_channels and not confirmed:
        raise GiveUp("Nothing was imported: the file names channels missing from the catalog.")
    job.record(progress=50, stage=f"Saving {rows:,} rows")
    user = batch.created_by
    with transaction.atomic():
        marks = history_marks()
        result = spec.commit(
            job.workspace, batch.rows, user=user, confirmed=confirmed, **batch.options
        )
        if not result.ok:
            raise GiveUp("Nothing was imported: some rows need fixing first.")
        batch.delete()
        record_since(job.workspace, marks)  # rows saved in bulk send no signal each
    job.record(
        status=Job.Status.DONE,
        progress=100,
        stage="Done",
        message=import_done_message(spec, result, batch.options),
        result_url=spec.done_url(job.workspace, batch.options),
        finished_at=timezone.now(),
    )
    job_finished(job)
    return job.message


def start_export(export: PreparedExport, fmt: str, *, user, rows: int) -> Job:
    """Hand an export to the worker; its job says how far it got."""
    job = Job.objects.create(
        workspace=export.workspace,
        title=f"Export of {export.title} as {fmt.upper()} ({rows:,} rows)",
        stage="Waiting for the worker",
        started_by=user,
    )
    enqueue(run_export, job.pk, export.kind.key, fmt, export.options)
    return job


def _export_failed(args: tuple, kwargs: dict, problem: BaseException, final: bool) -> None:
    job = Job.objects.select_related("workspace").filter(pk=args[0]).first()
    if job is None:
        return
    if isinstance(problem, GiveUp):
        message = str(problem)
    elif final:
        message = f"The export stopped with an error: {problem}"[:2000]
    else:
        message = "The export hit an error; it will be tried again shortly."
    status = Job.Status.FAILED if final else Job.Status.RETRYING
    job.record(status=status, message=message, finished_at=timezone.now() if final else None)
    if final:
        job_finished(job)


class _Counted:
    """The rows of every sheet, moving the job's bar as they are written."""

    def __init__(self, job: Job, total: int) -> None:
        self.job, self.total, self.done = job, max(total, 1), 0

    def __call__(self, rows: Iterable[Sequence[Any]]) -> Iterable[Sequence[Any]]:
        for row in rows:
            self.done += 1
            if self.done % 500 == 0:
                self.job.record(progress=min(95, 10 + 85 * self.done // self.total))
            yield row


@retrying_task(attempts=3, backoff=30, on_failure=_export_failed)
def run_export(
    job_id: int, key: str, fmt: str, options: dict[str, str] | None = None, *, attempt: int = 1
) -> str:
    """Write the export the job stands for, once: a finished job is left alone,
    and the file and the job's end are saved together."""
    job = Job.objects.select_related("workspace").filter(pk=job_id).first()
    if job is None or job.finished:
        return "nothing to do"
    workspace = job.workspace
    try:
        export = export_kind(key).prepare(workspace, options or {})
    except Http404:
        raise GiveUp("What this export was of is gone: nothing was written.") from None
    total = export.rows(fmt)
    job.record(
        status=Job.Status.RUNNING, attempts=attempt, progress=10, stage=f"Writing {total:,} rows"
    )
    counted = _Counted(job, total)
    response = table_response(fmt, export.filename(), export.tables(fmt, counted))
    filename = response["Content-Disposition"].split('filename="', 1)[1].rstrip('"')
    with transaction.atomic():
        ExportFile.objects.filter(job=job).delete()
        ExportFile.objects.create(
            workspace=workspace,
            job=job,
            filename=filename,
            content_type=response["Content-Type"],
            data=response.content,
        )
        job.record(
            status=Job.Status.DONE,
            progress=100,
            stage="Done",
            message=f"{filename} is ready: {counted.done:,} rows.",
            finished_at=timezone.now(),
        )
    job_finished(job)
    return job.message


def recent_jobs(workspace: Workspace):
    return Job.objects.in_workspace(workspace).select_related("started_by")

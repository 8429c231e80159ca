"""What workspaces needs of the apps above it, filled in by their ``AppConfig.ready()``.

``workspaces`` sits under every domain app and never imports one. Where it must
ask something of them — the sections of a workspace backup, the kinds of
spreadsheet import, the demo data, what a new workspace starts with — it owns
a plain list here and each app appends its entries in ``ready()``, so
``INSTALLED_APPS`` order is the order they run in.

A forgotten entry fails loudly: a tenant table with no backup section and no
reason to be left out stops every backup (and ``manage.py check``), and a
section's link the table does not map is refused (see ``workspaces.backup``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from accounts.models import User
    from pacekeeper.imports import Preview
    from workspaces.models import Workspace


@dataclass(frozen=True)
class BackupSection:
    """One kind of object in a workspace backup: its key in the document, its
    model, and the section each of its links to other objects points into.
    Links to people and to the workspace itself need no entry. A section only
    points into itself or sections registered before it."""

    key: str
    model: type[models.Model]
    refs: Mapping[str, str] = field(default_factory=dict)


BACKUP_SECTIONS: list[BackupSection] = []


def _no_options(workspace: Workspace, query: Mapping[str, str]) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class ImportKind:
    """A spreadsheet the shared import reads: upload, a preview marking every row
    new, update, unchanged or error, then all rows or none.

    ``preview(workspace, rows, **options)`` checks the rows and saves nothing;
    ``commit(workspace, rows, user=…, confirmed=…, **options)`` checks them again
    and saves them all when none has an error. ``options`` come from the upload
    page's address (the plan recorded effort goes to) and travel with the batch.
    """

    key: str  # in the address: /imports/<key>/
    title: str
    noun: str  # "persona": the message after an import counts them
    columns: Sequence[str]
    about: str  # how rows are matched, beside the list of columns
    example_rows: Callable[[], list[list[Any]]]
    preview: Callable[..., Preview]
    commit: Callable[..., Preview]
    done_url: Callable[[Workspace, dict[str, Any]], str]
    options: Callable[[Workspace, Mapping[str, str]], dict[str, Any]] = _no_options
    scope: Callable[[Workspace, dict[str, Any]], str] | None = None  # "Into the Q1 plan"
    done_message: Callable[[Preview, dict[str, Any]], str] | None = None


IMPORT_KINDS: list[ImportKind] = []


@dataclass(frozen=True)
class ExportSheet:
    """One sheet of a spreadsheet export: its rows, and how many there are (one
    COUNT query, so a page knows whether to hand the export to the worker).
    Both are called as ``(workspace, **options)``, or with the kind's ``source``
    alone when it has one."""

    title: str
    header: Sequence[str] | Callable[..., Sequence[str]]  # a function when it names the unit
    rows: Callable[..., Iterable[Sequence[Any]]]
    count: Callable[..., int]


def _no_export_options(workspace: Workspace, query: Mapping[str, str]) -> dict[str, str]:
    return {}


@dataclass(frozen=True)
class ExportKind:
    """A spreadsheet export of a workspace's data: ``<name>.csv`` holds the first
    sheet, ``<name>.xlsx`` every sheet. One larger than the export threshold is
    written by the worker and downloaded by whoever asked for it. ``options``
    reads the page's query (a list's filters) into plain values the worker gets too.

    An export of one object (a plan) names a ``source``, called as
    ``(workspace, **options)``: the object its sheets are read from, made once
    per file, which says ``Http404`` when the options name nothing of the
    workspace; its counts and rows are then called with it alone, and
    ``filename(source)`` names the file (else "<workspace> <name>")."""

    key: str  # names it for the worker: "personas"
    name: str  # the file's name after the workspace's: "northwind personas.csv"
    sheets: Sequence[ExportSheet]
    options: Callable[[Workspace, Mapping[str, str]], dict[str, Any]] = _no_export_options
    source: Callable[..., Any] | None = None
    filename: Callable[[Any], str] | None = None

    def sheets_for(self, fmt: str) -> Sequence[ExportSheet]:
        return self.sheets[:1] if fmt == "csv" else self.sheets

    def prepare(self, workspace: Workspace, options: Mapping[str, Any]) -> PreparedExport:
        """The export of ``workspace`` with these options, ready to count and write."""
        source = self.source(workspace, **options) if self.source is not None else None
        return PreparedExport(self, workspace, dict(options), source)

    def rows(self, workspace: Workspace, fmt: str, options: Mapping[str, Any]) -> int:
        return self.prepare(workspace, options).rows(fmt)


@dataclass(frozen=True)
class PreparedExport:
    """One export's kind, workspace and options, and its source if it has one."""

    kind: ExportKind
    workspace: Workspace
    options: dict[str, Any]
    source: Any = None

    def _call(self, function: Callable[..., Any]) -> Any:
        if self.kind.source is not None:
            return function(self.source)
        return function(self.workspace, **self.options)

    def rows(self, fmt: str) -> int:
        """How many rows the ``fmt`` file holds, headers aside."""
        return sum(self._call(sheet.count) for sheet in self.kind.sheets_for(fmt))

    @property
    def title(self) -> str:
        """What the pages call it: "personas"; one object's export, by its file's name."""
        return self.kind.name if self.kind.filename is None else self.filename()

    def filename(self) -> str:
        if self.kind.filename is not None:
            return self.kind.filename(self.source)
        return f"{self.workspace.slug} {self.kind.name}"

    def tables(
        self,
        fmt: str,
        each: Callable[[Iterable[Sequence[Any]]], Iterable[Sequence[Any]]] = lambda rows: rows,
    ) -> list[tuple[str, Sequence[str], Callable[[], Iterable[Sequence[Any]]]]]:
        """The sheets of the ``fmt`` file for ``table_response``: (title, header,
        a function giving its rows, passed through ``each``)."""
        return [
            (
                sheet.title,
                self._call(sheet.header) if callable(sheet.header) else sheet.header,
                lambda sheet=sheet: each(self._call(sheet.rows)),
            )
            for sheet in self.kind.sheets_for(fmt)
        ]


EXPORT_KINDS: list[ExportKind] = []


def export_kind(key: str) -> ExportKind:
    found = next((kind for kind in EXPORT_KINDS if kind.key == key), None)
    if found is None:
        raise LookupError(f"No export {key!r}: register it in an app's ready().")
    return found


# Makes an app's demo data in the demo workspace, given the demo people by role;
# says what it made ("5 personas"), or "". Runs again and again without
# changing anything the second time.
DemoSeeder = Callable[["Workspace", dict[str, "User"]], str]
DEMO_SEEDERS: list[DemoSeeder] = []

# Called as hook(workspace) around the demo seeders: each gives a context manager
# the seeders run inside (notifications: what the seeding tells people stays
# in the app, no e-mail is sent nor queued).
DEMO_SEEDING: list[Callable[[Workspace], AbstractContextManager[object]]] = []


@contextmanager
def demo_seeding(workspace: Workspace):
    with ExitStack() as stack:
        for hook in DEMO_SEEDING:
            stack.enter_context(hook(workspace))
        yield


# Called as hook(workspace=…) with every new workspace, in one transaction with
# its creation: what a workspace starts with (the channel catalog).
WORKSPACE_CREATED: list[Callable[..., object]] = []


def import_kind(key: str) -> ImportKind | None:
    return next((kind for kind in IMPORT_KINDS if kind.key == key), None)


def workspace_created(workspace: Workspace) -> None:
    for hook in WORKSPACE_CREATED:
        hook(workspace=workspace)


@dataclass(frozen=True)
class HistoryKind:
    """A kind of object whose changes (recorded by django-simple-history) the
    history pages and the activity feed show, in words.

    ``name(record)`` says what a history row's object is called ("Maya on
    TikTok"); ``page`` is the URL name of its history page (arguments: the
    workspace's slug and the object's id); ``parent(record)`` names the object
    whose history shows this one's changes too (a usage in its persona's), as
    ``(kind key, id)``. ``undo(instance=…, before=…, fields=…,
    expected_version=…, user=…, reason=…)`` puts back the ``undo_fields`` one
    change changed as the history row ``before`` had them, as a new version,
    and raises ``StaleVersion`` when someone changed those fields since."""

    key: str  # in the feed's filter and on each entry: "usage"
    label: str  # the feed filter's words: "Channel mixes"
    noun: str  # "channel usage": "created the channel usage …"
    model: type[models.Model]
    name: Callable[[Any], str]
    page: str | None = None
    parent: Callable[[Any], tuple[str, int | None]] | None = None
    hidden: frozenset[str] = frozenset()
    undo: Callable[..., object] | None = None
    undo_fields: frozenset[str] = frozenset()


HISTORY_KINDS: list[HistoryKind] = []


def history_kind(key: str) -> HistoryKind | None:
    return next((kind for kind in HISTORY_KINDS if kind.key == key), None)


# Called as hook(job=…) when background work ends, done or failed for good:
# telling the person who started it.
JOB_FINISHED: list[Callable[..., object]] = []


def job_finished(job: Any) -> None:
    for hook in JOB_FINISHED:
        hook(job=job)


# Called as hook(membership=…, invitation=…) when someone joins through an
# invitation, in its transaction: telling the owners.
INVITATION_ACCEPTED: list[Callable[..., object]] = []


def invitation_accepted(**event: Any) -> None:
    for hook in INVITATION_ACCEPTED:
        hook(**event)


# Values read with a person's membership by the gate, in the same query, as
# ``membership.<name>``: name → a function giving the query expression (the
# header's unread count).
MEMBERSHIP_ANNOTATIONS: dict[str, Callable[[], Any]] = {}

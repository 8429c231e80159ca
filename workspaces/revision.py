"""A workspace's data revision, and the pages cached under it.

Every write to a workspace's data bumps ``Workspace.data_revision`` in the same
transaction: a save or delete of any row with a ``workspace`` key (signals
connected in ``WorkspacesConfig.ready``, for every app's models), and the bulk
writes of ``TenantQuerySet`` (``update``, ``bulk_create``, ``bulk_update``),
which send no signals. A page computed from the workspace's data can then be
cached under (workspace, revision): a reader who saw revision R before a write
committed may store what it read under R, but no one looks R up again.

The same UPDATE records, under the written model's label in
``Workspace.revisions``, the revision it made: ``cached_value(..., reads=...)``
keeps a value computed from a few kinds of rows under the latest revision of
those kinds alone, so that it outlives writes to every other kind (an
experiment's result leaves the personas' pace as it was). A write whose kind is
not known (``bump`` without a model) counts as a write of every kind.

Some kinds say which rows a single write concerns (a persona's channel mix):
the function registered for them in ``ROW_MARKS`` marks those rows in the same
transaction, so that a value kept per row recomputes only the rows marked. A
bulk write, which does not say, is also recorded under ``every_row(model)``:
a write to all of them.

``cached_page`` keeps the heavy part of a page — its ``page-content`` partial —
in Django's cache under the workspace, its revision, the member's role, the day
(in the workspace's time zone), the page's name and its full address. Nothing in
that part may depend on who the member is beyond the role: forms in it carry a
placeholder for the CSRF token, replaced by the reader's own on the way out, so
a cached part never carries another person's token. A request that has written
to the workspace reads nothing from the cache for it until it ends.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.core.signals import request_started
from django.db import models
from django.db.models import F, Func, JSONField, TextField, Value
from django.db.models.functions import Cast
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe

from workspaces.history import being_deleted
from workspaces.models import Workspace

# Seconds. A write makes a new revision anyway; the timeout only bounds how far
# a cached part's relative times ("2 minutes ago") can lag.
PAGE_TIMEOUT = 5 * 60

# Written to in this request (or task): its pages are computed afresh.
_written: ContextVar[frozenset[int]] = ContextVar("written_workspaces", default=frozenset())

# A stand-in for the CSRF token in cached parts, unguessable, per process.
CSRF_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"

# Rows with a workspace key that no cached page shows, by model label: the
# activity written beside every change (which bumps already), and bookkeeping.
# Apps add theirs in ``AppConfig.ready`` (a person's notifications, visits).
NOT_DATA: set[str] = {"workspaces.activity", "workspaces.job", "workspaces.importbatch"}


ANY_KIND = "*"

# Model label: a function marking the rows one saved or deleted row of it
# concerns (in the same transaction), given the row and the fields a save wrote
# (None: all of them, or a delete). Apps add theirs in ``AppConfig.ready``.
ROW_MARKS: dict[str, Callable[[models.Model, frozenset[str] | None], None]] = {}


# Set while bulk writes mark the rows they concern themselves (``rows_marked``).
_rows_marked: ContextVar[bool] = ContextVar("bulk_rows_marked", default=False)


@contextmanager
def rows_marked() -> Iterator[None]:
    """For bulk writes whose caller marks the rows they concern, as ``ROW_MARKS``
    does for one row's save, in the same transaction: inside, they are not
    recorded as writes to every row (``every_row``)."""
    token = _rows_marked.set(True)
    try:
        yield
    finally:
        _rows_marked.reset(token)


def every_row(model: type[models.Model]) -> str:
    """The label a bulk write of ``model`` is also recorded under."""
    return f"{model._meta.label_lower}:every-row"


def _stamp(labels: tuple[str, ...], function: str) -> Func:
    """A JSON object of ``labels``, each with the revision the UPDATE makes."""
    made = F("data_revision") + 1
    pairs = [part for label in labels for part in (Cast(Value(label), TextField()), made)]
    return Func(*pairs, function=function)


class _Stamped(Func):
    """``Workspace.revisions`` with each of ``labels`` set to the revision the same UPDATE
    makes (the right-hand sides of an UPDATE all read the row as it was):
    SQLite's ``json_patch``, PostgreSQL's ``||`` of two ``jsonb`` objects."""

    output_field = JSONField()

    def __init__(self, *labels: str) -> None:
        super().__init__(F("revisions"), _stamp(labels, "json_object"), function="json_patch")
        self.labels = labels

    def as_postgresql(self, compiler, connection, **extra):
        revisions = self.get_source_expressions()[0]
        stamp = _stamp(self.labels, "jsonb_build_object")
        merged = Func(revisions, stamp, template="(%(expressions)s)", arg_joiner=" || ")
        return compiler.compile(merged.resolve_expression(compiler.query))


def bump(
    workspace_ids: Iterable[int | None],
    model: type[models.Model] | None = None,
    *,
    bulk: bool = False,
) -> None:
    """The workspaces' data changed: a new revision, in the current transaction,
    recorded as the revision of ``model``'s rows too (of every kind's, without it).
    ``bulk``: a write of rows not named one by one (of all of them, for a kind
    in ``ROW_MARKS``, unless its caller marks them: ``rows_marked``)."""
    ids = {pk for pk in workspace_ids if pk is not None}
    if not ids:
        return
    labels = (model._meta.label_lower,) if model is not None else (ANY_KIND,)
    marked = model is not None and model._meta.label_lower in ROW_MARKS
    if bulk and marked and not _rows_marked.get():
        labels += (every_row(model),)
    Workspace.objects.filter(pk__in=ids).update(
        data_revision=F("data_revision") + 1, revisions=_Stamped(*labels)
    )
    _written.set(_written.get() | ids)


def _saved_or_deleted(sender, instance, **kwargs) -> None:
    if kwargs.get("raw") or sender._meta.label_lower in NOT_DATA:
        return
    workspace_id = instance.pk if sender is Workspace else instance.workspace_id
    if workspace_id is not None and not being_deleted(workspace_id):
        bump([workspace_id], sender)
        mark = ROW_MARKS.get(sender._meta.label_lower)
        if mark is not None:
            fields = kwargs.get("update_fields")
            mark(instance, None if fields is None else frozenset(fields))


def is_workspace_data(model: type[models.Model]) -> bool:
    """A model whose rows belong to a workspace (its history tables aside)."""
    if hasattr(model, "instance_type"):  # simple-history's
        return False
    if model is Workspace:
        return True
    try:
        field = model._meta.get_field("workspace")
    except Exception:
        return False
    return getattr(field, "related_model", None) is Workspace and field.concrete


def connect() -> None:
    """Bump on every save and delete of workspace data, whichever app it is in."""
    for model in apps.get_models():
        if is_workspace_data(model):
            uid = f"revision-{model._meta.label_lower}"
            post_save.connect(_saved_or_deleted, sender=model, dispatch_uid=uid)
            post_delete.connect(_saved_or_deleted, sender=model, dispatch_uid=uid)


def _new_request(**kwargs) -> None:
    _written.set(frozenset())


request_started.connect(_new_request, dispatch_uid="revision-new-request")


def written(workspace_id: int) -> bool:
    return workspace_id in _written.get()


def page_key(request: HttpRequest, name: str) -> str:
    workspace, membership = request.workspace, request.membership
    day = timezone.localdate(timezone=workspace.zone)
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page:{workspace.pk}:{workspace.data_revision}:{membership.role}:{day}:{name}:{address}"


def revision_of(workspace: Workspace, kinds: Iterable[type[models.Model] | str]) -> int:
    """The revision of the latest write to rows of ``kinds`` (models, or labels
    such as ``every_row(model)``), or of unknown kind."""
    made = workspace.revisions
    labels = [k if isinstance(k, str) else k._meta.label_lower for k in kinds] + [ANY_KIND]
    return max(made.get(label, 0) for label in labels)


def cached_value(
    workspace: Workspace,
    name: str,
    compute: Callable[[], Any],
    *,
    reads: Iterable[type[models.Model] | str] | None = None,
) -> Any:
    """``compute()``, kept in Django's cache under the workspace's revision and
    ``name`` (which must name everything else the value depends on): for what a
    page reads again and again while nothing changes. Nothing in it may depend
    on who reads it. ``reads``: every model whose rows the value is computed
    from; it is then kept until a write to one of them, whatever else changes."""
    return _kept(workspace, _value_key(workspace, name, reads), compute)


def _value_key(workspace: Workspace, name: str, reads) -> str:
    if reads is None:
        return f"value:{workspace.pk}:{workspace.data_revision}:{name}"
    return f"value-of-kinds:{workspace.pk}:{revision_of(workspace, reads)}:{name}"


def value_kept(
    workspace: Workspace, name: str, *, reads: Iterable[type[models.Model] | str]
) -> Any:
    """What ``keep_value`` kept under ``name`` since the latest write to the
    kinds of ``reads`` (None: nothing, or a request that wrote)."""
    if written(workspace.pk):
        return None
    return cache.get(_value_key(workspace, name, reads))


def keep_value(
    workspace: Workspace, name: str, value: Any, *, reads: Iterable[type[models.Model] | str]
) -> None:
    """Keep ``value``, computed from rows of the kinds of ``reads``, for ``value_kept``."""
    if not written(workspace.pk):
        cache.set(_value_key(workspace, name, reads), value, PAGE_TIMEOUT)


def refreshed_value(
    workspace: Workspace,
    name: str,
    compute: Callable[[], Any],
    refresh: Callable[[Any], Any],
    *,
    reads: Iterable[type[models.Model] | str],
) -> Any:
    """``cached_value``, brought up to date on the way out by ``refresh(value)``:
    the same value when nothing is to be done, or a new one, kept in its place
    (for a value kept row by row, whose rows a write marks: ``ROW_MARKS``)."""
    if written(workspace.pk):
        return compute()
    key = _value_key(workspace, name, reads)
    hit = cache.get(key)
    value = compute() if hit is None else refresh(hit)
    if value is not hit and not written(workspace.pk):
        cache.set(key, value, PAGE_TIMEOUT)
    return value


def _kept(workspace: Workspace, key: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` from the cache under ``key``, or computed and kept there;
    a request that has written to the workspace neither reads nor keeps it."""
    if written(workspace.pk):
        return compute()
    hit = cache.get(key)
    if hit is None:
        hit = compute()
        if not written(workspace.pk):
            cache.set(key, hit, PAGE_TIMEOUT)
    return hit


def cached_page(
    request: HttpRequest,
    template: str,
    build: Callable[[], dict[str, Any]],
    *,
    keep: tuple[str, ...] = (),
) -> HttpResponse:
    """``template`` with its ``page-content`` partial from the cache, or built
    from ``build()`` (the page's context) and cached. ``keep``: the context
    values the rest of the page reads (small ones, kept beside the part)."""

    def compute() -> tuple[str, dict[str, Any]]:
        context = build()
        part = render_to_string(
            f"{template}#page-content", {**context, "csrf_token": CSRF_PLACEHOLDER}, request
        )
        return part, {name: context.get(name) for name in keep}

    part, kept = _kept(request.workspace, page_key(request, template), compute)
    page = mark_safe(part.replace(CSRF_PLACEHOLDER, get_token(request)))
    response = render(request, template, {**kept, "cached_content": page})
    patch_vary_headers(response, ["HX-Request"])
    return response

"""Every change in words: the activity written beside each history row.

django-simple-history keeps a row per version of each tracked object. For each
new row of a kind the apps registered (``workspaces.registry.HISTORY_KINDS``)
an ``Activity`` is written too: who, when, which object (and the object whose
history shows it as well: a usage's persona), and each changed field as
old → new in the words a page shows ("Stage: Emerging → Core"). History pages
and the activity feed then read one indexed table, a page at a time, with a
fixed number of queries; the words outlive the objects they are about.

``rebuild_activity`` writes the same entries again from the history rows of a
workspace (a restored backup, history written in bulk).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import formats, timezone

from workspaces.models import Activity, ActivityAction, Workspace
from workspaces.registry import HISTORY_KINDS, HistoryKind

PAGE_SIZE = 25
MAX_WORDS = 400  # characters of one old or new value kept in words
ALWAYS_HIDDEN = frozenset(
    {"id", "workspace", "version", "created_at", "updated_at", "created_by", "updated_by"}
)
ACTIONS = {"+": ActivityAction.CREATED, "~": ActivityAction.CHANGED, "-": ActivityAction.DELETED}


def kind_for_model(model: type[models.Model]) -> HistoryKind | None:
    return next((kind for kind in HISTORY_KINDS if kind.model is model), None)


# --- Words ------------------------------------------------------------------


def label(model: type[models.Model], name: str) -> str:
    return str(model._meta.get_field(name).verbose_name).capitalize()


def words(model: type[models.Model], name: str, value: Any) -> str:
    """A stored value as a page shows it: a choice's label, yes/no, a name for a link."""
    model_field = model._meta.get_field(name)
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if model_field.is_relation:
        related = model_field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else "(deleted)"
    if isinstance(value, Decimal):
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "j M Y, H:i")
    if isinstance(value, date):
        return formats.date_format(value, "j M Y")
    text = str(value)
    return text if len(text) <= MAX_WORDS else text[: MAX_WORDS - 1] + "…"


def shown(record, name: str) -> str:
    """A history row's field in words; a link as the name of what it links to, or
    "(deleted)" once that is gone."""
    value = getattr(record, record._meta.get_field(name).attname)
    return words(record.instance_type, name, value)


def _changes(kind: HistoryKind, record, previous) -> tuple[list[list[str]], list[str]]:
    """Each changed field as [label, old, new] in words, in the model's field order,
    and the names of those fields. Fields the app sets (an approval, a graduation)
    count as much as those typed into forms."""
    if previous is None or record.history_type != "~":
        return [], []
    hidden = ALWAYS_HIDDEN | kind.hidden
    changes, names = [], []
    for model_field in kind.model._meta.concrete_fields:
        name, attname = model_field.name, model_field.attname
        if name in hidden or not hasattr(record, attname):
            continue  # kept out of the history, or of the words
        old, new = getattr(previous, attname), getattr(record, attname)
        if old != new:
            changes.append(
                [
                    label(kind.model, name),
                    words(kind.model, name, old),
                    words(kind.model, name, new),
                ]
            )
            names.append(name)
    return changes, names


def activity_for(kind: HistoryKind, record, previous) -> Activity | None:
    """The activity entry of one history row (None for a save that changed nothing shown)."""
    action = ACTIONS[record.history_type]
    changes, fields = _changes(kind, record, previous)
    if action == ActivityAction.CHANGED and not changes:
        return None
    parent_kind, parent_id = kind.parent(record) if kind.parent else ("", None)
    return Activity(
        workspace_id=record.workspace_id,
        at=record.history_date,
        user_id=record.history_user_id,
        kind=kind.key,
        object_id=record.id,
        object_name=str(kind.name(record))[:200],
        parent_kind=parent_kind,
        parent_id=parent_id,
        action=action,
        reason=(record.history_change_reason or "")[:200],
        changes=changes,
        fields=fields,
        history_id=record.history_id,
        previous_history_id=previous.history_id if previous is not None else None,
        version=getattr(record, "version", None),
    )


# The workspaces being deleted in this context: the history rows of their data,
# deleted with them, get no activity entry (it would name a workspace that is gone).
_deleting: ContextVar[frozenset[int]] = ContextVar("deleting_workspaces", default=frozenset())


@contextmanager
def deleting_workspace(workspace_id: int) -> Iterator[None]:
    token = _deleting.set(_deleting.get() | {workspace_id})
    try:
        yield
    finally:
        _deleting.reset(token)


def being_deleted(workspace_id: int) -> bool:
    return workspace_id in _deleting.get()


def record_activity(sender, history_instance, **kwargs) -> None:
    """``post_create_historical_record``: write the new row's activity entry."""
    kind = kind_for_model(sender.instance_type)
    workspace_id = getattr(history_instance, "workspace_id", None)
    if kind is None or workspace_id is None or workspace_id in _deleting.get():
        return
    previous = (
        sender.objects.filter(id=history_instance.id, history_id__lt=history_instance.history_id)
        .order_by("-history_id")
        .first()
    )
    entry = activity_for(kind, history_instance, previous)
    if entry is not None:
        entry.save()


def _entries(kind, records, wanted=lambda record: True) -> list[Activity]:
    """The activity of history ``records`` ordered by object then version, each
    compared with the version before it of the same object; only those ``wanted``."""
    entries, previous = [], None
    for record in records:
        if previous is not None and previous.id != record.id:
            previous = None
        if wanted(record):
            entry = activity_for(kind, record, previous)
            if entry is not None:
                entries.append(entry)
        previous = record
    return entries


@transaction.atomic
def rebuild_activity(workspace: Workspace) -> int:
    """Write the workspace's activity again from its history rows; how many entries."""
    Activity.objects.filter(workspace=workspace).delete()
    entries: list[Activity] = []
    for kind in HISTORY_KINDS:
        rows = kind.model.history.filter(workspace_id=workspace.pk).order_by("id", "history_id")
        entries += _entries(kind, rows.iterator(chunk_size=500))
    entries.sort(key=lambda e: (e.at, e.history_id))
    Activity.objects.bulk_create(entries, batch_size=500)
    return len(entries)


# --- Reading ----------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One activity entry as a page shows it: its sentence and its changes."""

    activity: Activity
    text: str
    kind: HistoryKind | None
    about_subject: bool  # the page's own object, not one of its children
    name: str  # the object's name after the sentence, "" on its own page
    url: str  # the object's history page, "" when it has none or is gone
    undoable: bool

    @property
    def changes(self) -> list[list[str]]:
        """The fields as old → new; none for an archive or a restore, which the
        sentence says."""
        return [] if self.activity.fields == ["archived"] else self.activity.changes


def sentence(activity: Activity, kind: HistoryKind | None, *, named: bool = True) -> str:
    """ "changed stage, trend of the channel usage" (its name follows when ``named``)."""
    noun = kind.noun if kind else activity.kind
    what = f"the {noun}"
    if activity.action == ActivityAction.CHANGED:
        if activity.fields == ["archived"]:
            return f"{'archived' if activity.changes[0][2] == 'yes' else 'restored'} {what}"
        fields = ", ".join(change[0].lower() for change in activity.changes)
        return f"changed {fields} of {what}" if named else f"changed {fields}"
    return f"{activity.action} {what}"


def entries(activities: Iterable[Activity], subject: tuple[str, int] | None = None) -> list[Entry]:
    kinds = {kind.key: kind for kind in HISTORY_KINDS}
    result = []
    for activity in activities:
        kind = kinds.get(activity.kind)
        own = subject is not None and (activity.kind, activity.object_id) == subject
        url = ""
        if kind and kind.page and activity.action != ActivityAction.DELETED and not own:
            url = reverse(kind.page, args=[activity.workspace.slug, activity.object_id])
        text = sentence(activity, kind, named=not own)
        name = "" if own else activity.object_name
        result.append(Entry(activity, text, kind, own, name, url, undoable(activity, kind)))
    return result


def object_history(workspace: Workspace, kind: str, pk: int, page: Any = 1) -> Page:
    """One object's changes and its children's (a persona's mix and notes), newest
    first, a page at a time: two queries."""
    activities = (
        Activity.objects.in_workspace(workspace)
        .filter(Q(kind=kind, object_id=pk) | Q(parent_kind=kind, parent_id=pk))
        .select_related("user")
    )
    return _page(activities, page, subject=(kind, pk))


def feed(
    workspace: Workspace,
    *,
    kind: str = "",
    user_id: int | None = None,
    since: datetime | None = None,
    page: Any = 1,
) -> Page:
    """The workspace's changes, newest first, filtered, a page at a time: two queries."""
    activities = Activity.objects.in_workspace(workspace).select_related("user")
    if kind:
        activities = activities.filter(kind=kind)
    if user_id:
        activities = activities.filter(user_id=user_id)
    if since:
        activities = activities.filter(at__gte=since)
    return _page(activities, page)


def _page(activities, number: Any, subject: tuple[str, int] | None = None) -> Page:
    page = Paginator(activities.order_by("-at", "-pk"), PAGE_SIZE).get_page(number)
    page.entries = entries(page.object_list, subject)
    return page


def before_change(activity: Activity):
    """The history row of the version before ``activity``'s change, if kept."""
    kind = next((k for k in HISTORY_KINDS if k.key == activity.kind), None)
    if kind is None or activity.previous_history_id is None:
        return None
    return (
        kind.model.history.filter(workspace_id=activity.workspace_id)
        .filter(history_id=activity.previous_history_id, id=activity.object_id)
        .first()
    )


def undoable(activity: Activity, kind: HistoryKind | None) -> bool:
    """Whether an undo of ``activity`` has something to put back."""
    return (
        kind is not None
        and kind.undo is not None
        and activity.action == ActivityAction.CHANGED
        and activity.previous_history_id is not None
        and activity.version is not None
        and any(name in kind.undo_fields for name in activity.fields)
    )


class CannotUndo(Exception):
    """The change has nothing an undo could put back (its object or its earlier
    version is gone, or none of its fields may be put back)."""


def undo_change(activity: Activity, *, expected_version: int, user) -> models.Model:
    """Put back what ``activity`` changed, as a new version of its object, through
    its kind's ``undo``; ``StaleVersion`` when those fields changed since."""
    kind = next((k for k in HISTORY_KINDS if k.key == activity.kind), None)
    if kind is None or not undoable(activity, kind):
        raise CannotUndo("This change cannot be undone.")
    instance = kind.model.objects.in_workspace(activity.workspace).filter(pk=activity.object_id)
    instance = instance.first()
    before = before_change(activity)
    if instance is None or before is None:
        raise CannotUndo(f"The {kind.noun} or its earlier version is no longer kept.")
    kind.undo(
        instance=instance,
        before=before,
        fields=[name for name in activity.fields if name in kind.undo_fields],
        expected_version=expected_version,
        user=user,
        reason=f"undid the change of {words(Activity, 'at', activity.at)}",
    )
    return instance


def restore_fields(instance: models.Model, before, fields: list[str], *, reason: str) -> list[str]:
    """Set ``fields`` of ``instance`` back to their values in the history row
    ``before``; the history row of the save names ``reason``. The fields set."""
    if not fields:
        raise CannotUndo("None of this change's fields can be put back.")
    for name in fields:
        attname = instance._meta.get_field(name).attname
        setattr(instance, attname, getattr(before, attname))
    instance._change_reason = reason
    return fields


# --- Retention ----------------------------------------------------------------


@transaction.atomic
def prune_history(workspace: Workspace, *, now: datetime | None = None) -> int:
    """Delete the workspace's history older than its ``history_days`` (none when
    empty), keeping each object's latest version, and the activity of that
    time. How many history rows went."""
    if not workspace.history_days:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=workspace.history_days)
    pruned = 0
    for kind in HISTORY_KINDS:
        rows = kind.model.history.filter(workspace_id=workspace.pk)
        newer = rows.filter(id=OuterRef("id"), history_id__gt=OuterRef("history_id"))
        pruned += rows.filter(history_date__lt=cutoff).filter(Exists(newer)).delete()[0]
    Activity.objects.filter(workspace=workspace, at__lt=cutoff).delete()
    return pruned


# --- History written in bulk ----------------------------------------------------


def history_marks() -> dict[str, int]:
    """The newest history row of each kind, before a step that writes history in
    bulk (an import), which sends no signal per row."""
    return {
        kind.key: kind.model.history.aggregate(last=Max("history_id"))["last"] or 0
        for kind in HISTORY_KINDS
    }


def record_since(workspace: Workspace, marks: dict[str, int]) -> int:
    """Write the activity of the workspace's history rows newer than ``marks`` that
    have none yet: two queries per kind, however many rows."""
    entries: list[Activity] = []
    for kind in HISTORY_KINDS:
        mark = marks.get(kind.key, 0)
        rows = kind.model.history.filter(workspace_id=workspace.pk)
        new = rows.filter(history_id__gt=mark)
        recorded = set(
            Activity.objects.filter(
                workspace=workspace, kind=kind.key, history_id__in=new.values("history_id")
            ).values_list("history_id", flat=True)
        )
        rows = rows.filter(id__in=new.values("id")).order_by("id", "history_id")

        def wanted(record, mark=mark, recorded=recorded) -> bool:
            return record.history_id > mark and record.history_id not in recorded

        entries += _entries(kind, rows, wanted)
    entries.sort(key=lambda e: (e.at, e.history_id))
    Activity.objects.bulk_create(entries, batch_size=500)
    return len(entries)

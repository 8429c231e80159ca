"""Optimistic locking for versioned models.

A form carries the version it was opened at. Saving first claims the next
version with ``UPDATE … SET version = version + 1 WHERE pk = … AND version = …``;
when no row matches, someone else saved first and ``StaleVersion`` is raised
with the current row, so the view can show what changed and by whom. Only then
are the new values written with ``save()``, which also records the history row.
The check lives in the UPDATE itself, so it holds on SQLite as on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User
    from workspaces.models import VersionedModel


class StaleVersion(Exception):
    """The object changed since the form was opened."""

    def __init__(self, current: VersionedModel) -> None:
        super().__init__(f"{current} changed since it was opened (now version {current.version}).")
        self.current = current


@transaction.atomic
def save_versioned(
    instance: VersionedModel,
    *,
    expected_version: int,
    user: User | None,
    update_fields: list[str] | None = None,
    merge: bool = True,
) -> None:
    """Save ``instance`` if the stored row is still at ``expected_version``.

    With ``merge`` (the default) and ``update_fields``, a save also goes through
    when only *other* fields changed since that version (another section of the
    same persona, say). ``merge=False`` refuses any change since: for steps
    that vouch for the whole object, like submitting or approving a plan."""
    model = type(instance)
    # The stale row a conflict shows comes with its workspace, as the instance did.
    rows = model.objects.in_workspace(instance.workspace).filter(pk=instance.pk)
    version = expected_version
    while not rows.filter(version=version).update(
        version=F("version") + 1, updated_at=timezone.now()
    ):
        current = rows.select_related("updated_by").first()
        if current is None:
            raise model.DoesNotExist(f"{model._meta.verbose_name} was deleted.")
        if (
            not merge
            or update_fields is None
            or changed_since(current, expected_version, update_fields)
        ):
            raise StaleVersion(current)
        # Only other fields changed since the form was opened (another section,
        # an archive flag): nothing the user is saving would overwrite them.
        version = current.version
    instance.version = version + 1
    instance.updated_by = user
    instance._history_user = user
    if update_fields is not None:
        update_fields = [*update_fields, "version", "updated_by", "updated_at"]
    instance.save(update_fields=update_fields)


def snapshot_at(instance: VersionedModel, version: int):
    """The history row of ``instance`` as it was at ``version``, if kept."""
    history = type(instance).history
    return history.filter(id=instance.pk, version=version).order_by("-history_date").first()


def changed_since(current: VersionedModel, version: int, fields: list[str]) -> list[str]:
    """Which of ``fields`` differ between ``version`` and the stored row (all of
    them when that version's history is not known)."""
    base = snapshot_at(current, version)
    if base is None:
        return list(fields)
    return [name for name in fields if _value(base, name) != _value(current, name)]


def _value(obj: Any, name: str) -> Any:
    field = obj._meta.get_field(name)
    return getattr(obj, field.attname)


def save_new(instance: models.Model, *, user: User | None, **values: Any) -> models.Model:
    """Store a new object with ``values`` set (its workspace, what it belongs to,
    who made it); its history row names ``user``."""
    for name, value in values.items():
        setattr(instance, name, value)
    instance._history_user = user
    instance.save()
    return instance


def delete_for_good(instance: models.Model, *, user: User | None) -> None:
    """Delete an object; its last history row names ``user``."""
    instance._history_user = user
    instance.delete()


def touch_versioned(instance: VersionedModel, *, user: User | None, fields: list[str]) -> None:
    """Save a change that needs no stale check (a flag or a date), bumping the version
    so an open form based on the old copy still notices."""
    model = type(instance)
    model.objects.filter(pk=instance.pk, workspace_id=instance.workspace_id).update(
        version=F("version") + 1
    )
    instance.refresh_from_db(fields=["version"])
    instance.updated_by = user
    instance._history_user = user
    instance.save(update_fields=[*fields, "version", "updated_by", "updated_at"])


class VersionField(forms.IntegerField):
    """The version a page was opened at, carried back in a hidden input."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, **kwargs)


def posted_version(request: HttpRequest) -> int:
    """The version a posted page carried, for a step with no form of its own;
    0, which no row ever has, when it is missing or not a version."""
    try:
        return VersionField(required=False).clean(request.POST.get("version")) or 0
    except ValidationError:
        return 0


class VersionedForm(forms.ModelForm):
    """A model form carrying the version it was opened at."""

    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


@dataclass(frozen=True)
class ConflictRow:
    label: str
    theirs: Any
    yours: Any


@dataclass(frozen=True)
class Conflict:
    """What someone else saved since the form was opened, next to what you typed."""

    by: User | None
    at: datetime
    rows: list[ConflictRow]


def _display(instance: models.Model, field: models.Field, value: Any) -> Any:
    if getattr(field, "choices", None):
        return dict(field.flatchoices).get(value, value)
    if value in (None, ""):
        return "—"
    return value


def conflict_for(form: forms.ModelForm, current: VersionedModel) -> Conflict:
    """The fields someone else changed since the form was opened, with their value
    next to the one the user submitted."""
    fields = [name for name in form.Meta.fields if name in form.cleaned_data]
    changed = changed_since(current, form.cleaned_data["version"], fields)
    rows = []
    for name in changed:
        field = current._meta.get_field(name)
        theirs = getattr(current, name)
        yours = form.cleaned_data[name]
        if theirs != yours:
            rows.append(
                ConflictRow(
                    label=str(field.verbose_name).capitalize(),
                    theirs=_display(current, field, theirs),
                    yours=_display(current, field, yours),
                )
            )
    return Conflict(by=current.updated_by, at=current.updated_at, rows=rows)


def rebase_form(form_class: type[VersionedForm], data, current: VersionedModel, **kwargs: Any):
    """The user's submitted form again, now based on the current version, so a
    deliberate second save keeps their values without overwriting by accident."""
    data = data.copy()
    data["version"] = current.version
    form = form_class(data, instance=current, **kwargs)
    form.is_valid()
    return form


@dataclass
class Edit:
    """Where an edit of a versioned object stands: its form, the status to answer
    with, and after a stale save the conflict and the row as now stored."""

    form: forms.ModelForm
    status: int = 200
    conflict: Conflict | None = None
    current: Any = None
    saved: bool = False


def versioned_edit(
    request: HttpRequest,
    form_class: type[VersionedForm],
    instance: VersionedModel,
    save: Callable[..., object],
    **form_kwargs: Any,
) -> Edit:
    """Every versioned edit view's steps: a GET gives the form; a POST validates it
    (422 with the errors beside the fields) and saves through
    ``save(form, expected_version=…, user=…, fields=…)`` (the form's fields); a
    stale version answers 409 with what changed and the form again, based on the
    stored row and keeping what the person typed."""
    if request.method != "POST":
        return Edit(form_class(instance=instance, **form_kwargs))
    form = form_class(request.POST, instance=instance, **form_kwargs)
    if not form.is_valid():
        return Edit(form, status=422)
    try:
        save(
            form,
            expected_version=form.cleaned_data["version"],
            user=request.user,
            fields=list(form_class.Meta.fields),
        )
    except StaleVersion as stale:
        # What changed, before the rebased form writes the typed values onto the row.
        conflict = conflict_for(form, stale.current)
        rebased = rebase_form(form_class, request.POST, stale.current, **form_kwargs)
        return Edit(rebased, status=409, conflict=conflict, current=stale.current)
    return Edit(form, saved=True)


def set_archived(instance: models.Model, *, archived: bool, user: User | None) -> None:
    """Archive an object (out of lists, pickers and new plans) or restore it: a new
    version when it has one, recorded in its history either way."""
    instance.archived = archived
    if hasattr(instance, "version"):
        touch_versioned(instance, user=user, fields=["archived"])
        return
    instance._history_user = user
    instance.save(update_fields=["archived"])

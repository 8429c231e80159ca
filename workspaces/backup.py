"""A whole workspace as one JSON document, and that document back into a new workspace.

The document holds the workspace's settings, its members (by e-mail address),
every persona, research note, channel, channel usage and observation,
experiment, target and result, plan, plan persona, plan line, review step and
actual (archived ones too), and the change history (django-simple-history)
of the objects that have one, deleted objects' included: a deleted object with
a history gets a reference after the live ones of its kind (and a negative id
once imported, which no object ever gets). A historical row's link to an
object neither live nor in the history is written as ``null``.

No database id appears in it. Each object gets a reference, its ordinal
(1…n) among the objects of its kind in primary-key order, and links are
written as those references; links to people are written as their e-mail
addresses. Dates and times are ISO strings, decimals are strings. So an export,
imported into a new workspace and exported again, gives the same document but
for the slug and the ``exported_at`` time.

Left out on purpose: pending invitations (their links belong to the workspace
that sent them), old addresses of a renamed workspace, spreadsheets waiting
between their preview and their import, and share links with their views
(only a hash of each link is kept, so it could not work anywhere else).

The sections and the links between them are a table each app fills in from
its ``AppConfig.ready()`` (``workspaces.registry.BACKUP_SECTIONS``): every
other field is read from the models' ``_meta``, so a new field travels without
a change here, a new link is refused until the table says where it points, and
a tenant table nobody registered stops every backup until it is registered or
left out here with its reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from itertools import accumulate
from typing import Any
from uuid import UUID

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import DataError, IntegrityError, models, transaction
from django.db.models import Min
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import User
from pacekeeper.checks import configuration_check
from workspaces.history import rebuild_activity
from workspaces.models import Membership, Workspace
from workspaces.registry import BACKUP_SECTIONS
from workspaces.registry import BackupSection as Section
from workspaces.roles import Role
from workspaces.services import slug_taken

FORMAT = "pacekeeper-workspace"
FORMAT_VERSION = 1

# Tenant tables a backup leaves out, and why (see the module's docstring).
LEFT_OUT = {
    "workspaces.Invitation": "an invitation's link belongs to the workspace that sent it",
    "workspaces.WorkspaceAlias": "old addresses stay with the workspace that had them",
    "workspaces.ImportBatch": "a spreadsheet waiting for its import is not yet data",
    "workspaces.Job": "background work belongs to the server that did it",
    "workspaces.ExportFile": "an export is a copy of the data, written for the person who asked",
    "notifications.Notification": "what people were told belongs to the workspace that told them",
    "notifications.SignalSeen": "signals are announced afresh by the workspace that restores them",
    "sharing.ShareLink": "a share link's token was given to people outside; only its hash is kept",
    "sharing.ShareView": "views belong to the links they counted",
    "workspaces.Activity": "the changes in words are written again from the history rows",
    "planning.SignalDismissal": "a dismissal names its signal by the ids a restore gives anew",
}

# The workspace and its memberships have a shape of their own in the document,
# and a history like the sections.
WORKSPACE = Section("workspace", Workspace)
MEMBERSHIPS = Section("memberships", Membership)


class BackupRefused(Exception):
    """A backup that cannot be made or imported, with a message for the person
    doing it. ``about`` names what is wrong: the ``"document"`` or the ``"slug"``."""

    def __init__(self, message: str, *, about: str = "document") -> None:
        super().__init__(message)
        self.about = about


def unmapped_tables() -> list[str]:
    """Tenant tables (every model with a link to a workspace, history aside) that
    no backup section holds and ``LEFT_OUT`` does not explain."""
    covered = {section.model._meta.label for section in (MEMBERSHIPS, *BACKUP_SECTIONS)}
    return [
        model._meta.label
        for model in apps.get_models()
        if not model.__name__.startswith("Historical")
        and any(f.related_model is Workspace for f in model._meta.concrete_fields)
        and model._meta.label not in covered | set(LEFT_OUT)
    ]


def sections() -> tuple[Section, ...]:
    """The registered sections, in the order of import. Refuses a tenant table no
    section holds, and a section that points into one registered after it."""
    missing = unmapped_tables()
    if missing:
        raise ImproperlyConfigured(
            f"{', '.join(missing)} would be missing from workspace backups: register a "
            "workspaces.registry.BackupSection for it in its app's ready(), or say in "
            "workspaces.backup.LEFT_OUT why it stays out."
        )
    seen: set[str] = set()
    for section in BACKUP_SECTIONS:
        later = {target for target in section.refs.values() if target not in seen | {section.key}}
        if later:
            raise ImproperlyConfigured(
                f"The backup section {section.key} points into {', '.join(sorted(later))}, "
                "registered after it: register the sections it points into first."
            )
        seen.add(section.key)
    return tuple(BACKUP_SECTIONS)


# ``manage.py check``: every tenant table travels in a backup, or says why not.
check_sections = configuration_check(sections, "workspaces.E001")


# --- Fields -----------------------------------------------------------------


def _is_user(model_field: models.Field) -> bool:
    return model_field.is_relation and model_field.related_model is User


def _is_workspace(model_field: models.Field) -> bool:
    return model_field.is_relation and model_field.related_model is Workspace


def _columns(section: Section, model: type[models.Model]) -> list[models.Field]:
    """The fields of ``model`` (the section's model or its historical model) that
    the document carries: all concrete fields but the primary key, the object id
    of a historical row, and the workspace. Refuses a link the table misses."""
    historical = model is not section.model
    columns = []
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key or (historical and model_field.name == "id"):
            continue
        if _is_workspace(model_field):
            continue
        if model is Workspace and model_field.attname in Workspace.COUNTERS:
            continue  # kept by the app as it runs, not content
        if model_field.is_relation and not _is_user(model_field):
            target = section.refs.get(model_field.name)
            target_section = next((s for s in BACKUP_SECTIONS if s.key == target), None)
            if target_section is None or target_section.model is not model_field.related_model:
                raise ImproperlyConfigured(
                    f"{model._meta.label}.{model_field.name} links to "
                    f"{model_field.related_model._meta.label}: say in its BackupSection's refs "
                    "which section it points into."
                )
        columns.append(model_field)
    return columns


def _is_automatic(model_field: models.Field) -> bool:
    """A date that saving sets (auto_now, auto_now_add): restored after creation."""
    return getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False)


def _history_model(section: Section) -> type[models.Model] | None:
    manager = getattr(section.model._meta, "simple_history_manager_attribute", None)
    return getattr(section.model, manager).model if manager else None


def _tracked() -> list[Section]:
    """The sections with a history, the workspace and its memberships first."""
    return [s for s in (WORKSPACE, MEMBERSHIPS, *sections()) if _history_model(s) is not None]


def _dump(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


# --- Export -----------------------------------------------------------------


def workspace_export(workspace: Workspace) -> dict[str, Any]:
    """Everything in ``workspace`` as a document of JSON values (see the module)."""
    objects: dict[str, list[models.Model]] = {
        MEMBERSHIPS.key: list(Membership.objects.filter(workspace=workspace).order_by("pk"))
    }
    for section in sections():
        manager = section.model._default_manager
        objects[section.key] = list(manager.filter(workspace=workspace).order_by("pk"))
    refs = {
        key: {obj.pk: n for n, obj in enumerate(rows, start=1)} for key, rows in objects.items()
    }
    refs[WORKSPACE.key] = {workspace.pk: 1}
    _refer_to_deleted(workspace, refs)
    history = {
        section.key: list(
            _history_model(section)
            .objects.filter(id__in=list(refs[section.key]))
            .order_by("history_id")
        )
        for section in _tracked()
    }
    writer = _Writer(refs=refs, users=_users_of(objects, history))
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "workspace": {
            f.name: _dump(getattr(workspace, f.attname)) for f in _columns(WORKSPACE, Workspace)
        },
        **writer.people(objects[MEMBERSHIPS.key]),
    }
    for section in sections():
        columns = _columns(section, section.model)
        document[section.key] = [
            {"ref": refs[section.key][obj.pk], **writer.row(section, columns, obj, strict=True)}
            for obj in objects[section.key]
        ]
    document["history"] = {
        section.key: writer.history(section, history[section.key]) for section in _tracked()
    }
    return document


def _refer_to_deleted(workspace: Workspace, refs: dict[str, dict[int, int]]) -> None:
    """Give each deleted object with a history a reference after the live ones (in
    the order of its first change), so its history travels and links to it hold."""
    for section in _tracked():
        if section is WORKSPACE:
            continue
        gone = (
            _history_model(section)
            .objects.filter(workspace_id=workspace.pk)
            .exclude(id__in=list(refs[section.key]))
            .values("id")
            .annotate(first=Min("history_id"))
            .order_by("first")
        )
        live = len(refs[section.key])
        for n, row in enumerate(gone, start=live + 1):
            refs[section.key][row["id"]] = n


def _users_of(
    objects: Mapping[str, Iterable[models.Model]], history: Mapping[str, Iterable[models.Model]]
) -> dict[int, User]:
    """Every person the exported objects and history rows link to, by id."""
    ids: set[int] = set()
    for rows in (*objects.values(), *history.values()):
        for obj in rows:
            for model_field in obj._meta.concrete_fields:
                if _is_user(model_field) and getattr(obj, model_field.attname) is not None:
                    ids.add(getattr(obj, model_field.attname))
    return {user.pk: user for user in User.objects.filter(pk__in=ids)}


@dataclass
class _Writer:
    refs: dict[str, dict[int, int]]
    users: dict[int, User]

    def people(self, memberships: list[Membership]) -> dict[str, list[dict[str, Any]]]:
        """The people the document names, and the workspace's members."""
        return {
            "users": [
                {"email": user.email, "name": user.name}
                for user in sorted(self.users.values(), key=lambda u: u.email)
            ],
            "memberships": [
                {
                    "ref": self.refs[MEMBERSHIPS.key][m.pk],
                    "email": self.users[m.user_id].email,
                    "name": self.users[m.user_id].name,
                    "role": m.role,
                    "joined": _dump(m.created_at),
                }
                for m in memberships
            ],
        }

    def history(self, section: Section, records: list[models.Model]) -> list[dict[str, Any]]:
        """A section's history rows, each naming the object it is about."""
        columns = _columns(section, _history_model(section))
        rows = []
        for record in records:
            out = self.row(section, columns, record, strict=False)
            if section is not WORKSPACE:
                out["object"] = self.refs[section.key][record.id]
            rows.append(out)
        return rows

    def row(
        self, section: Section, columns: list[models.Field], obj: models.Model, *, strict: bool
    ) -> dict[str, Any]:
        """One object as JSON values. ``strict``: a link out of the workspace is an
        error (live objects); otherwise it becomes null (history rows, whose links
        may outlive what they point to)."""
        out: dict[str, Any] = {}
        for model_field in columns:
            value = getattr(obj, model_field.attname)
            if value is not None and _is_user(model_field):
                user = self.users.get(value)
                value = user.email if user else None
            elif value is not None and model_field.is_relation:
                target = section.refs[model_field.name]
                ref = self.refs[target].get(value)
                if ref is None and strict:
                    raise BackupRefused(
                        f"{section.key} #{self.refs[section.key][obj.pk]} links to an object of "
                        f"another workspace ({target}), so no backup can be made."
                    )
                value = ref
            else:
                value = _dump(value)
            out[model_field.name] = value
        return out


def document_to_json(document: Mapping[str, Any]) -> str:
    """The document as the file a person downloads."""
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True)


def backup_counts(document: Mapping[str, Any]) -> dict[str, int]:
    """How many members, objects of each kind and history rows a backup holds."""
    keys = [MEMBERSHIPS.key, *(section.key for section in sections())]
    counts = {key: len(document.get(key) or []) for key in keys}
    counts["history rows"] = sum(len(rows) for rows in (document.get("history") or {}).values())
    return counts


def backup_summary(document: Mapping[str, Any]) -> str:
    """“memberships 3, personas 5, …, history rows 120”: what a backup holds."""
    return ", ".join(
        f"{key.replace('_', ' ')} {count}" for key, count in backup_counts(document).items()
    )


# --- Import -----------------------------------------------------------------


MAX_BYTES = 20 * 1024 * 1024
# The format nests objects in lists in sections, a history record's changes
# and a plan's stored lines a few levels further: eight levels at most today.
MAX_DEPTH = 16
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def backup_parse(raw: bytes | str) -> Any:
    """The JSON document in ``raw``, refusing, before it is parsed, a document
    over 20 MB or nested deeper than any backup is (which would exhaust the
    parser's stack). Raises BackupRefused with a sentence."""
    if len(raw) > MAX_BYTES:
        raise BackupRefused(f"This file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BackupRefused(_NOT_JSON) from None
    if _depth(raw) > MAX_DEPTH:
        raise BackupRefused(
            f"This file nests lists or objects more than {MAX_DEPTH} levels deep; no backup "
            "does: choose a backup downloaded from a workspace's settings page."
        )
    try:
        return json.loads(raw)
    except ValueError:
        raise BackupRefused(_NOT_JSON) from None


_NOT_JSON = "This file is not JSON: choose a backup downloaded from a workspace's settings page."


def _depth(text: str) -> int:
    """How deep the brackets outside strings nest, counted without recursion."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def backup_check(document: Any) -> None:
    """Refuse what is not a backup of ours, or one made by a newer Pacekeeper."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupRefused(
            "This file is not a Pacekeeper workspace backup: download one from a "
            "workspace's settings page."
        )
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BackupRefused("This backup does not say which format it is in, so it cannot be read.")
    if version > FORMAT_VERSION:
        raise BackupRefused(
            f"This backup was made by a newer Pacekeeper (format {version}); "
            f"this server reads format {FORMAT_VERSION} at most."
        )


def workspace_import(
    document: dict[str, Any],
    *,
    slug: str,
    name: str | None = None,
    by: User | None = None,
    restore_members: bool = True,
) -> Workspace:
    """A new workspace at ``slug`` holding everything in ``document``, or nothing
    at all. People missing on this server are created by e-mail address (active,
    with no usable password: they set one through a password reset). ``by``,
    when given, becomes an owner of the new workspace.

    ``restore_members=False`` (an import from the web page) adds no one but
    ``by``: an owner may not put other people into a workspace by file; they
    invite them. Moving a whole workspace between servers is for the command."""
    backup_check(document)
    try:
        validate_slug(slug)
    except ValidationError:
        raise BackupRefused(
            f"“{slug}” cannot be an address: use letters, numbers, hyphens or underscores.",
            about="slug",
        ) from None
    if len(slug) > Workspace._meta.get_field("slug").max_length:
        raise BackupRefused("The address is too long: 50 characters at most.", about="slug")
    if slug_taken(slug):
        raise BackupRefused(
            f"Another workspace uses the address “{slug}”. Choose another.", about="slug"
        )
    try:
        with transaction.atomic():
            return _Reader(document, by=by, restore_members=restore_members).run(
                slug=slug, name=name
            )
    except (IntegrityError, DataError) as error:
        raise BackupRefused(
            f"The backup does not hold together, so nothing was imported ({error})."
        ) from error


class _Reader:
    """Creates the objects of one document in a new workspace, keeping the new id
    of every reference to resolve the links that follow."""

    def __init__(
        self, document: dict[str, Any], *, by: User | None, restore_members: bool = True
    ) -> None:
        self.document = document
        self.by = by
        self.restore_members = restore_members
        self.ids: dict[str, dict[int, int]] = {}
        self.people: dict[str, int] = {}
        self.names: dict[str, str] = {}
        self.workspace: Workspace | None = None

    def run(self, *, slug: str, name: str | None) -> Workspace:
        self.workspace = self._workspace(slug=slug, name=name)
        self._people()
        self._memberships()
        for section in sections():
            self._section(section)
        for section in _tracked():
            if section is MEMBERSHIPS and not self.restore_members:
                continue  # the people were not brought over, nor their history
            self._history(section)
        rebuild_activity(self.workspace)
        self.workspace.refresh_from_db()
        return self.workspace

    # The document's parts.
    def _rows(self, key: str, parent: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        parent = self.document if parent is None else parent
        rows = parent.get(key) or []
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise BackupRefused(f"The backup's {key} are damaged: a list of objects was expected.")
        return rows

    def _ref(self, key: str, row: dict[str, Any], seen: list[int]) -> int:
        """The row's reference, added to ``seen``: a number, once per section."""
        ref = row.get("ref")
        if not isinstance(ref, int) or isinstance(ref, bool):
            raise BackupRefused(f"Object {len(seen) + 1} of the backup's {key} has no reference.")
        if ref in seen:
            raise BackupRefused(f"The backup's {key} hold #{ref} twice.")
        seen.append(ref)
        return ref

    def _where(self, key: str, row: dict[str, Any]) -> str:
        return f"{key} #{row.get('ref', '?')}"

    # Values.
    def _value(self, model_field: models.Field, raw: Any, where: str) -> Any:
        if isinstance(raw, dict | list):
            raise BackupRefused(f"{where}: {model_field.name} holds a structure, not a value.")
        if raw is None:
            if not model_field.null:
                raise BackupRefused(f"{where}: {model_field.name} cannot be empty.")
            return None
        try:
            value = model_field.to_python(raw)
        except ValidationError as error:
            raise BackupRefused(
                f"{where}: {model_field.name} “{raw}” is not valid ({' '.join(error.messages)})."
            ) from None
        if isinstance(value, datetime) and settings.USE_TZ and timezone.is_naive(value):
            value = timezone.make_aware(value, UTC)
        max_length = getattr(model_field, "max_length", None)
        if max_length and isinstance(value, str) and len(value) > max_length:
            raise BackupRefused(
                f"{where}: {model_field.name} is longer than {max_length} characters."
            )
        if (
            model_field.choices
            and value not in model_field.empty_values
            and value not in {choice for choice, _label in model_field.flatchoices}
        ):
            raise BackupRefused(f"{where}: {model_field.name} “{value}” is not a known choice.")
        return value

    def _user(self, raw: Any, where: str) -> int:
        """The id of the person with this e-mail address, created when missing."""
        email = str(raw).strip().lower()
        if email not in self.people:
            try:
                validate_email(email)
            except ValidationError:
                raise BackupRefused(f"{where}: “{raw}” is not an e-mail address.") from None
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = User.objects.create_user(email, None, name=self.names.get(email, ""))
            self.people[email] = user.pk
        return self.people[email]

    def _link(self, section: Section, model_field: models.Field, raw: Any, where: str) -> Any:
        if raw is None:
            if not model_field.null:
                raise BackupRefused(f"{where}: {model_field.name} cannot be empty.")
            return None
        if _is_user(model_field):
            return self._user(raw, where)
        target = section.refs[model_field.name]
        new_id = self.ids.get(target, {}).get(raw) if isinstance(raw, int) else None
        if new_id is None:
            raise BackupRefused(
                f"{where}: {model_field.name} points to {target} #{raw}, "
                "which the backup does not hold."
            )
        return new_id

    def _values(
        self,
        section: Section,
        columns: list[models.Field],
        row: Mapping[str, Any],
        where: str,
        *,
        later: Iterable[str] = (),
    ) -> dict[str, Any]:
        """Model attributes from one row; the links named in ``later`` are left out."""
        values: dict[str, Any] = {}
        for model_field in columns:
            if model_field.name in later:
                continue
            if model_field.name not in row:
                if model_field.has_default() or model_field.null:
                    continue  # a field newer than the backup: its default
                raise BackupRefused(f"{where} has no {model_field.name}.")
            raw = row[model_field.name]
            if model_field.is_relation:
                values[model_field.attname] = self._link(section, model_field, raw, where)
            else:
                values[model_field.attname] = self._value(model_field, raw, where)
        return values

    # The parts, in order.
    def _workspace(self, *, slug: str, name: str | None) -> Workspace:
        data = self.document.get("workspace")
        if not isinstance(data, dict):
            raise BackupRefused("The backup holds no workspace settings.")
        columns = _columns(WORKSPACE, Workspace)
        values = self._values(WORKSPACE, columns, data, "the workspace's settings")
        values["name"] = (name or "").strip() or values.get("name", "")
        values["slug"] = slug
        limit = Workspace._meta.get_field("name").max_length
        if not values["name"] or len(values["name"]) > limit:
            raise BackupRefused(f"Give the new workspace a name of 1 to {limit} characters.")
        # Created without a history row: the backup brings the workspace's history.
        (workspace,) = Workspace.objects.bulk_create([Workspace(**values)])
        if "created_at" in values:
            Workspace.objects.filter(pk=workspace.pk).update(created_at=values["created_at"])
        return workspace

    def _people(self) -> None:
        """Names of the people the document mentions, and the ones on this server."""
        for row in [*self._rows("users"), *self._rows("memberships")]:
            email = str(row.get("email") or "").strip().lower()
            if email and row.get("name") and email not in self.names:
                self.names[email] = str(row["name"])[: User._meta.get_field("name").max_length]
        known = User.objects.annotate(key=Lower("email")).filter(key__in=list(self.names))
        self.people.update({user.key: user.pk for user in known})

    def _memberships(self) -> None:
        role_field = Membership._meta.get_field("role")
        joined_field = Membership._meta.get_field("created_at")
        memberships, refs, seen = [], [], set()
        for row in self._rows("memberships") if self.restore_members else []:
            self._ref("memberships", row, refs)
            where = self._where("memberships", row)
            user_id = self._user(row.get("email"), where)
            if user_id in seen:
                raise BackupRefused(f"{where}: {row.get('email')} is a member twice.")
            seen.add(user_id)
            memberships.append(
                Membership(
                    workspace=self.workspace,
                    user_id=user_id,
                    role=self._value(role_field, row.get("role"), where),
                    created_at=self._value(joined_field, row.get("joined"), where),
                )
            )
        if self.by is not None:
            mine = next((m for m in memberships if m.user_id == self.by.pk), None)
            if mine is None:
                mine = Membership(workspace=self.workspace, user=self.by, created_at=timezone.now())
                memberships.append(mine)
            mine.role = Role.OWNER
        if not any(m.role == Role.OWNER for m in memberships):
            raise BackupRefused(
                "The backup names no owner, and a workspace needs one: import it as an owner "
                "from a workspace's settings page."
            )
        joined = [m.created_at for m in memberships]
        created = Membership.objects.bulk_create(memberships)
        for membership, when in zip(created, joined, strict=True):
            membership.created_at = when  # saving stamped it with the time of the import
        Membership.objects.bulk_update(created, ["created_at"])
        self.ids[MEMBERSHIPS.key] = dict(zip(refs, (m.pk for m in created), strict=False))

    def _section(self, section: Section) -> None:
        """Create every object of one section, then restore what saving overwrote
        (the automatic dates) and set the links of the section to itself."""
        columns = _columns(section, section.model)
        automatic = [f.attname for f in columns if _is_automatic(f)]
        later = [name for name, target in section.refs.items() if target == section.key]
        objs, refs, kept = [], [], []
        for row in self._rows(section.key):
            self._ref(section.key, row, refs)
            values = self._values(section, columns, row, self._where(section.key, row), later=later)
            objs.append(section.model(workspace=self.workspace, **values))
            kept.append(
                {
                    **{name: values[name] for name in automatic if name in values},
                    **{name: row.get(name) for name in later},
                }
            )
        if not objs:
            self.ids[section.key] = {}
            return
        manager = section.model._default_manager
        created = manager.bulk_create(objs, batch_size=500)
        self.ids[section.key] = {ref: obj.pk for ref, obj in zip(refs, created, strict=True)}
        for obj, ref, values in zip(created, refs, kept, strict=True):
            for name in later:
                model_field = section.model._meta.get_field(name)
                link = self._link(section, model_field, values.pop(name), f"{section.key} #{ref}")
                setattr(obj, model_field.attname, link)
            for attname, value in values.items():
                setattr(obj, attname, value)
        fix = [f.name for f in columns if f.attname in automatic or f.name in later]
        if fix:
            manager.bulk_update(created, fix, batch_size=500)

    def _history(self, section: Section) -> None:
        history_model = _history_model(section)
        columns = _columns(section, history_model)
        rows = []
        live = max(self.ids.get(section.key, {}), default=0)  # deleted objects come after
        for row in self._rows(section.key, self._history_parts()):
            where = f"the history of {section.key}"
            if section is WORKSPACE:
                object_id = self.workspace.pk
            else:
                object_id = self._object_of(section, row.get("object"), where, live)
            values = self._values(section, columns, row, where)
            values["id"] = object_id
            if any(_is_workspace(f) for f in history_model._meta.concrete_fields):
                values["workspace_id"] = self.workspace.pk
            rows.append(history_model(**values))
        history_model.objects.bulk_create(rows, batch_size=500)

    def _object_of(self, section: Section, ref: Any, where: str, live: int) -> int:
        """The id a history row is about: a restored object's, or for an object
        deleted before the backup (a reference after the live ones) a negative
        id, which no object ever gets, so its history stays its own."""
        ids = self.ids[section.key]
        if ref in ids:
            return ids[ref]
        if not isinstance(ref, int) or isinstance(ref, bool) or ref <= live:
            raise BackupRefused(
                f"{where} holds a change of #{ref}, which the backup does not hold."
            )
        ids[ref] = -ref
        return ids[ref]

    def _history_parts(self) -> Mapping[str, Any]:
        parts = self.document.get("history") or {}
        if not isinstance(parts, dict):
            raise BackupRefused("The backup's history is damaged: an object was expected.")
        return parts

"""Personas from a spreadsheet: one row per persona, matched by name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pacekeeper.imports import Preview, RowResult, RowValidator, choice_value, save_in_bulk
from pacekeeper.spreadsheets import looks_like_formula
from personas.models import CompanySize, Persona
from personas.services import mark_personas
from workspaces.models import AdoptionStage, Workspace
from workspaces.registry import ExportSheet, ImportKind
from workspaces.revision import rows_marked

if TYPE_CHECKING:
    from accounts.models import User

COLUMNS = [
    "name", "role_title", "segment", "company_size", "adoption_stage", "priority", "present_share_override",
    "summary", "quote", "goals", "challenges", "objections", "buying_triggers", "says", "thinks", "does", "feels",
]  # fmt: skip
FIELDS = COLUMNS
TEXT_FIELDS = [
    c
    for c in COLUMNS
    if c not in ("company_size", "adoption_stage", "priority", "present_share_override")
]


def example_rows() -> list[list[str]]:
    return [
        [
            "Operations Olivia", "Head of Operations", "Logistics, mid-market", "201-1000", "Late majority", "5", "85",
            "Runs three warehouses.", "Tell me which orders will be late.", "Fewer late deliveries", "Data in spreadsheets",
            "Our ERP does this", "A bad quarter", "Show me a peer", "Another project", "Reads LinkedIn", "Responsible",
        ]
    ]  # fmt: skip


def preview(workspace: Workspace, rows: list[dict[str, str]], **options) -> Preview:
    """Check every row; nothing is saved. One query, whatever the number of rows."""
    existing = {p.name.lower(): p for p in Persona.objects.in_workspace(workspace)}
    validator = RowValidator(Persona, FIELDS)
    results, seen = [], set()
    for line, raw in enumerate(rows, start=2):
        data = {column: (raw.get(column) or "").strip() for column in COLUMNS}
        data["company_size"] = choice_value(data["company_size"], CompanySize.choices)
        data["adoption_stage"] = choice_value(
            data["adoption_stage"], AdoptionStage.choices, AdoptionStage.EARLY_MAJORITY
        )
        data["priority"] = data["priority"] or "3"
        result = RowResult(line, data["name"] or "(no name)")
        key = data["name"].lower()
        if key and key in seen:
            result.fail(f"“{data['name']}” appears twice in the file")
        seen.add(key)
        cleaned, errors = validator.clean(data)
        for message in errors:
            result.fail(message)
        for column in TEXT_FIELDS:
            if looks_like_formula(data[column]):
                result.warnings.append(
                    f"{column} looks like a spreadsheet formula: kept as plain text"
                )
        if result.status != "error":
            result.values = cleaned
            current = existing.get(key)
            if current is None:
                result.status = "new"
            elif all(getattr(current, name) == value for name, value in result.values.items()):
                result.status = "unchanged"
            else:
                result.status = "update"
        results.append(result)
    return Preview(results)


@transaction.atomic
def commit(
    workspace: Workspace, rows: list[dict[str, str]], *, user: User, confirmed: bool = False
) -> Preview:
    """Import every row, or none: checks again first (the workspace may have
    changed since the preview) and saves only when no row has an error."""
    checked = preview(workspace, rows)
    if not checked.ok:
        return checked
    existing = {
        p.name.lower(): p for p in Persona.objects.in_workspace(workspace).select_for_update()
    }
    new, changed, now = [], [], timezone.now()
    for row in checked.rows:
        if row.status == "unchanged":
            continue
        values = row.values
        persona = existing.get(values["name"].lower())
        if persona is None:
            new.append(Persona(workspace=workspace, created_by=user, updated_by=user, **values))
        else:
            for name, value in values.items():
                setattr(persona, name, value)
            persona.version += 1
            persona.updated_by = user
            persona.updated_at = now
            changed.append(persona)
    with rows_marked():  # those changed are marked; those new have no pace kept yet
        save_in_bulk(Persona, new=new, changed=changed, fields=FIELDS, user=user)
        mark_personas(workspace.pk, [persona.pk for persona in changed])
    return checked


def export_rows(workspace: Workspace) -> list[list]:
    """Every persona as the import reads it: export, edit, import back."""
    rows = []
    for persona in Persona.objects.in_workspace(workspace).order_by("name", "pk"):
        row = []
        for name in COLUMNS:
            value = getattr(persona, name)
            if name == "adoption_stage":
                value = persona.get_adoption_stage_display()
            row.append("" if value is None else value)
        rows.append(row)
    return rows


SHEET = ExportSheet(
    "Personas",
    COLUMNS,
    export_rows,
    lambda workspace: Persona.objects.in_workspace(workspace).count(),
)

KIND = ImportKind(
    key="personas",
    title="Import personas",
    noun="persona",
    columns=COLUMNS,
    about="Rows are matched to personas by name: a known name updates that persona, a new one "
    "creates it. Adoption stage and company size take the values or the labels you see in the app.",
    example_rows=example_rows,
    preview=preview,
    commit=commit,
    done_url=lambda workspace, options: reverse("personas:list", args=[workspace.slug]),
)

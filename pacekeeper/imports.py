"""What every import shares: a row's outcome in the preview, the summary, the bulk save."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from simple_history.utils import bulk_create_with_history, bulk_update_with_history


@dataclass
class RowResult:
    line: int  # the line in the file; the header is line 1
    label: str
    status: str = "new"  # new, update, unchanged or error
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)

    def fail(self, message: str) -> None:
        self.errors.append(message)
        self.status = "error"


@dataclass
class Preview:
    rows: list[RowResult]
    new_channels: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[RowResult]:
        return [r for r in self.rows if r.status == "error"]

    @property
    def counts(self) -> dict[str, int]:
        out = {"new": 0, "update": 0, "unchanged": 0, "error": 0}
        for row in self.rows:
            out[row.status] += 1
        return out

    @property
    def ok(self) -> bool:
        return not self.errors


class RowValidator:
    """Checks one row's values against a model's fields, as a form would, but
    built once for the whole file: a 10,000-row import stays fast."""

    def __init__(self, model, names: list[str]) -> None:
        self.fields = {}
        for name in names:
            model_field = model._meta.get_field(name)
            self.fields[name] = (model_field, model_field.formfield())

    def clean(self, data: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
        from django.core.exceptions import ValidationError

        cleaned, errors = {}, []
        for name, (model_field, form_field) in self.fields.items():
            try:
                value = form_field.clean(data.get(name, ""))
                if value is None and not model_field.null:
                    value = ""  # an empty optional text column
                if value not in (None, ""):
                    model_field.run_validators(value)  # ranges such as 1–5 and 0–100
                cleaned[name] = value
            except ValidationError as problem:
                errors.extend(f"{name}: {message}" for message in problem.messages)
        return cleaned, errors


def choice_value(value: str, choices, default: str = "") -> str:
    """A cell naming a choice by its value or its label, in any case
    ("Late majority" → "late_majority"); ``default`` when empty. Anything
    else is returned as written, for the form to refuse by name."""
    lowered = value.strip().lower()
    if not lowered:
        return default
    for key, label in choices:
        if lowered in (str(key).lower(), str(label).lower()):
            return key
    return value.strip()


def save_in_bulk(
    model: type[models.Model],
    *,
    new: list[models.Model],
    changed: list[models.Model],
    fields: list[str],
    user: Any,
) -> None:
    """Create ``new`` and update the imported ``fields`` of ``changed`` (whose
    version, updated_by and updated_at the caller has set) in batches, each
    object with its history record."""
    if new:
        bulk_create_with_history(new, model, batch_size=500, default_user=user)
    if changed:
        bulk_update_with_history(
            changed,
            model,
            [*fields, "version", "updated_by", "updated_at"],
            batch_size=500,
            default_user=user,
        )

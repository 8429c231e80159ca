"""What every import shares: a row's outcome in the preview, and the summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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


def form_errors(form) -> list[str]:
    """A bound form's errors as short sentences: "priority: Ensure this value…"."""
    messages = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else name
        for error in errors:
            messages.append(f"{str(label).lower()}: {error}" if name != "__all__" else str(error))
    return messages


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

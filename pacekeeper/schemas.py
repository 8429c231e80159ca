"""API schemas that follow the models: each field's type, choices, length, range,
digits and default are read from the Django field, never typed again.

django-ninja's ``ModelSchema`` reads the type and the length, but turns every
optional text into ``null``, makes the id optional and leaves out choices and
the range a field's validators allow; ``from_model`` keeps the API's own
conventions (empty text is "", a choice field lists its values, a write
states every limit the model holds). A shared helper at the bottom of the
layers: it imports no app.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import TextChoices
from ninja import Field, Schema
from pydantic import create_model

TYPES: dict[type[models.Field], type] = {
    models.BooleanField: bool,
    models.CharField: str,
    models.TextField: str,
    models.DateTimeField: datetime.datetime,  # before DateField: it is one
    models.DateField: datetime.date,
    models.DecimalField: Decimal,
    models.IntegerField: int,
    models.AutoField: int,
    models.BigAutoField: int,
}


def one_of(choices: type[TextChoices], *, only: tuple[TextChoices, ...] = ()) -> Any:
    """A schema type accepting a model's choices (or ``only`` some of them),
    so the API and the models never disagree about what a field may hold."""
    return Literal[tuple(str(choice) for choice in (only or choices))]


def narrowed(queryset: models.QuerySet, **lookups: Any) -> models.QuerySet:
    """A list endpoint's rows, narrowed by the filters the request gave: a lookup
    whose value is None was not given."""
    return queryset.filter(**{name: value for name, value in lookups.items() if value is not None})


def _python_type(field: models.Field) -> type:
    if field.is_relation:  # a link, by the id of what it points to: "channel_id"
        return int
    return next(python for kind, python in TYPES.items() if isinstance(field, kind))


def _limits(field: models.Field) -> dict[str, Any]:
    """What a write must respect: the length, the digits, and the range the
    field's own validators allow (not the database's integer range)."""
    limits: dict[str, Any] = {}
    text = isinstance(field, models.CharField | models.TextField)
    if field.max_length and text and not field.choices:  # a choice names its values
        limits["max_length"] = field.max_length
        if not field.blank:
            limits["min_length"] = 1
    if isinstance(field, models.DecimalField):
        limits |= {"max_digits": field.max_digits, "decimal_places": field.decimal_places}
    for validator in field._validators:
        if isinstance(validator, MinValueValidator):
            limits["ge"] = validator.limit_value
        elif isinstance(validator, MaxValueValidator):
            limits["le"] = validator.limit_value
    return limits


def _default(field: models.Field) -> Any:
    """What the server assumes when a write leaves the field out; ``...``: required."""
    if field.has_default():
        return None if callable(field.default) else field.default
    if field.null:
        return None
    if field.blank and isinstance(field, models.CharField | models.TextField):
        return ""
    return ...


def _definition(model: type[models.Model], name: str, *, write: bool, optional: bool) -> tuple:
    field = model._meta.get_field(name.removesuffix("_id"))
    python = _python_type(field)
    if write and field.choices:
        values = [str(value) for value, _label in field.flatchoices]
        python = Literal[tuple(["", *values] if field.blank and "" not in values else values)]
    filled_in = field.has_default() and callable(field.default)  # by the server: a date
    nullable = field.null or optional or (write and filled_in)
    annotation = python | None if nullable else python
    if not write:
        return annotation, ...
    default = None if optional else _default(field)
    return annotation, Field(default, **_limits(field))


def from_model(
    model: type[models.Model],
    names: list[str],
    *,
    write: bool = False,
    optional: bool = False,
    required: tuple[str, ...] = (),
) -> type[Schema]:
    """A schema base holding ``names`` of ``model`` (a link by its ``_id``).

    Read (the default): every field present, ``null`` where the model allows it.
    ``write``: the model's choices, limits and defaults, a field with none
    required (and those in ``required`` whatever their default). ``optional``
    (a PATCH): every field may be left out.
    """
    definitions = {name: _definition(model, name, write=write, optional=optional) for name in names}
    for name in required:
        annotation = definitions[name][0]
        definitions[name] = (annotation, Field(..., **_limits(model._meta.get_field(name))))
    return create_model(f"{model.__name__}Fields", __base__=Schema, **definitions)

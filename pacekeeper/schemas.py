"""API schema helpers: request and response fields that follow the models.

A shared helper at the bottom of the layers: it imports no app.
"""

from __future__ import annotations

from typing import Any, Literal

from django.db.models import TextChoices


def one_of(choices: type[TextChoices], *, only: tuple[TextChoices, ...] = ()) -> Any:
    """A schema type accepting a model's choices (or ``only`` some of them),
    so the API and the models never disagree about what a field may hold."""
    return Literal[tuple(str(choice) for choice in (only or choices))]

"""URL patterns by convention: one line for all the actions on one kind of object.

A shared helper at the bottom of the layers: it imports no app.
"""

from __future__ import annotations

from types import ModuleType

from django.urls import URLPattern, path


def actions(
    prefix: str, views: ModuleType, noun: str, names: list[str], *, named: bool = False
) -> list[URLPattern]:
    """``<prefix><action>/`` for each action, answered by ``views.<noun>_<action>``
    and named ``<action>`` (``<noun>_<action>`` when ``named``). An action's
    underscores are hyphens in the address: ``mark_reviewed`` → ``mark-reviewed/``."""
    return [
        path(
            f"{prefix}{name.replace('_', '-')}/",
            getattr(views, f"{noun}_{name}"),
            name=f"{noun}_{name}" if named else name,
        )
        for name in names
    ]

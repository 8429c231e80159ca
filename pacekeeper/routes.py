"""URL patterns by convention: one line for all the actions on one kind of object;
and addresses reversed once for all the objects of one kind a page links to.

A shared helper at the bottom of the layers: it imports no app.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from django.urls import URLPattern, path, reverse


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


# A pk no real row has: its digits mark the pk's place in an address reversed once.
_MARKER = 918_273_645_546_372_819


def url_pattern(name: str, *args) -> Callable[[int], str]:
    """``reverse(name, args=[*args, pk])`` for any pk, the URL resolver asked once:
    the address is reversed with a marker for the pk, each pk formatted into its
    place. For the loops that link every row of a page to its object."""
    head, marker, tail = reverse(name, args=[*args, _MARKER]).partition(str(_MARKER))
    if not marker or str(_MARKER) in tail:
        return lambda pk: reverse(name, args=[*args, pk])

    def url(pk: int) -> str:
        if type(pk) is not int or pk < 0:
            return reverse(name, args=[*args, pk])
        return f"{head}{pk}{tail}"

    return url

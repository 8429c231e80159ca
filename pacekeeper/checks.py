"""System checks (``manage.py check``) made from the apps' own consistency tests.

A shared helper at the bottom of the layers: it imports no app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def configuration_check(verify: Callable[[], object], check_id: str) -> Callable[..., list]:
    """A check that runs ``verify`` and reports the ``ImproperlyConfigured`` it raises
    (a registration an app forgot) as an error with ``check_id``."""

    def check(**kwargs: Any) -> list[checks.CheckMessage]:
        try:
            verify()
        except ImproperlyConfigured as problem:
            return [checks.Error(str(problem), id=check_id)]
        return []

    return check

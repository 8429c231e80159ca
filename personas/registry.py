"""What personas needs of the apps above it, filled in by their ``AppConfig.ready()``.

A persona's channel mix belongs to ``channels``, which personas never imports:
when a persona is duplicated or about to be deleted for good, the apps that
hold data about personas say what they copy and what goes with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from personas.models import Persona

# Called as hook(source=persona, target=its fresh copy, user=who copies it), in
# the copy's transaction: each app copies what it keeps about the persona.
PERSONA_DUPLICATED: list[Callable[..., object]] = []

# What goes with a persona deleted for good, for the confirmation page:
# (what, how many) pairs.
PERSONA_DELETE_IMPACT: list[Callable[[Persona], list[tuple[str, int]]]] = []

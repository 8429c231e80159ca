"""What notifications needs of the apps above it, filled in by their ``AppConfig.ready()``.

- ``SIGNAL_SOURCES``: functions giving a workspace's pressing signals (drift
  beyond tolerance, an experiment ready to graduate, an emerging channel past
  16 %), each with a key that names it for good, so it is announced once.
- ``DIGEST_SECTIONS``: functions giving sections of the weekly digest (the
  plan's split, the top signals, experiments that changed status, personas due
  for review, plans waiting for review).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workspaces.models import Workspace


@dataclass(frozen=True)
class PressingSignal:
    key: str  # "drift:plan:12": the same signal keeps its key
    text: str
    url: str


@dataclass(frozen=True)
class DigestLine:
    text: str
    url: str = ""
    note: str = ""  # a figure or a status, beside the text


@dataclass(frozen=True)
class DigestSection:
    order: int  # sections are shown by this, smallest first
    title: str
    lines: list[DigestLine] = field(default_factory=list)
    empty: str = ""  # said when there are no lines
    more: int = 0  # lines left out


SignalSource = Callable[["Workspace"], list[PressingSignal]]
SIGNAL_SOURCES: list[SignalSource] = []

# Called as source(workspace, since=…) for the week that ends now; gives its sections.
DigestSource = Callable[..., list[DigestSection]]
DIGEST_SECTIONS: list[DigestSource] = []

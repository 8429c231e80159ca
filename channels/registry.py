"""What channels needs of the apps above it, filled in by their ``AppConfig.ready()``.

Merging two channels moves everything that points at the one that goes to the
one that stays. Channels knows its own usages; rows of higher apps that link to
a channel are declared here by their app (experiments, recorded effort), and a
link that would lose rows in a merge and is not declared stops ``manage.py
check`` and every merge.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class ChannelLink:
    """Rows of ``model`` whose ``field`` points at a channel: when two channels
    merge, they follow the one that stays. ``goes_with`` names them, one and
    many, on the page that deletes a channel for good, when they go with it."""

    model: type[models.Model]
    field: str = "channel"
    goes_with: tuple[str, str] | None = None


CHANNEL_LINKS: list[ChannelLink] = []

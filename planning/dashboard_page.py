"""How much of a large workspace its dashboard renders.

The dashboard is a summary: its tables show their top rows — the personas and
channels with the most planned effort, the first running experiments — each
with a link to the rest. "Show all" is the same page with the table in full
(``?personas=all``, ``?channels=all``), so it has an address and works without
JavaScript; the running experiments' full list is the experiment list filtered
to them. Printed and shared copies show every row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import QueryDict

PERSONAS_SHOWN = 10
CHANNELS_SHOWN = 10
RUNNING_SHOWN = 8


@dataclass
class TopRows:
    """The rows a table shows, and how many it leaves for its "show all"."""

    rows: list
    hidden: int = 0
    total: int = 0
    url: str = ""  # where the whole table is


@dataclass
class DashboardRows:
    personas: TopRows = field(default_factory=lambda: TopRows([]))
    channels: TopRows = field(default_factory=lambda: TopRows([]))
    channel_bars: list = field(default_factory=list)
    running: TopRows = field(default_factory=lambda: TopRows([]))


def _top(rows: list, limit: int | None, url: str) -> TopRows:
    if limit is None or len(rows) <= limit:
        return TopRows(list(rows), 0, len(rows), "")
    return TopRows(list(rows[:limit]), len(rows) - limit, len(rows), url)


def dashboard_rows(
    data, query: QueryDict | None = None, *, running_url: str = "", everything: bool = False
) -> DashboardRows:
    """The top rows of each of the dashboard's tables; with ``everything`` (a
    printed or shared copy), all of them."""
    query = query or QueryDict()
    if data.plan is None:
        return DashboardRows()
    keep = {k: v for k, v in (("plan", query.get("plan")), ("signals", query.get("signals"))) if v}

    def url(name: str, anchor: str) -> str:
        return "?" + urlencode({**keep, name: "all"}) + f"#{anchor}"

    def limit(name: str, shown: int) -> int | None:
        return None if everything or query.get(name) == "all" else shown

    # The personas and channels with the most planned effort first.
    personas = sorted(data.view.personas, key=lambda row: (-row.amount, row.name))
    named = [row for row in data.channels if not row.note]
    gaps = [row for row in data.channels if row.note]
    channels = _top(named, limit("channels", CHANNELS_SHOWN), url("channels", "h-channels"))
    return DashboardRows(
        personas=_top(personas, limit("personas", PERSONAS_SHOWN), url("personas", "h-personas")),
        channels=TopRows(channels.rows + gaps, channels.hidden, channels.total, channels.url),
        channel_bars=channels.rows,
        running=_top(data.pipeline.running, None if everything else RUNNING_SHOWN, running_url),
    )

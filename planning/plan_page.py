"""How much of a large plan its page renders.

The plan page shows one summary row per persona — the first ``PERSONAS_SHOWN``
of a large plan, with a link to all of them — and a persona's lines only once
opened; its roll-up tables show their ``ROLLUP_ROWS_SHOWN`` largest rows with
the rest folded into one. Each choice lives in the query string, so that every
view of the page has an address and works without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict

PERSONAS_SHOWN = 20
ROLLUP_ROWS_SHOWN = 10
WARNINGS_SHOWN = 5
MAX_OPENED = 50  # personas whose lines can be open at once


def _numbers(values: list[str]) -> frozenset[int]:
    numbers = set()
    for value in values[:MAX_OPENED]:
        if value.isdigit() and 0 < int(value) <= 100_000:
            numbers.add(int(value))
    return frozenset(numbers)


@dataclass(frozen=True)
class Shown:
    """The rows a plan page renders; personas are numbered from 1 in the plan's order."""

    url: str  # the plan page
    query: QueryDict
    all_personas: bool = False
    all_rows: bool = False
    all_warnings: bool = False
    expanded: frozenset[int] = frozenset()
    everything: bool = False  # the whole plan, every line open: printed and shared copies

    @classmethod
    def whole_plan(cls) -> Shown:
        """Every persona with her lines, every row, every warning, and no controls."""
        return cls(url="", query=QueryDict(), all_personas=True, all_rows=True,
                   all_warnings=True, everything=True)  # fmt: skip

    def is_open(self, number: int) -> bool:
        return self.everything or number in self.expanded

    @classmethod
    def from_query(cls, url: str, query: QueryDict) -> Shown:
        closed = _numbers(query.getlist("collapse"))
        return cls(
            url=url,
            query=query,
            all_personas=query.get("personas") == "all",
            all_rows=query.get("rows") == "all",
            all_warnings=query.get("warnings") == "all",
            expanded=_numbers(query.getlist("expand")) - closed,
        )

    @property
    def persona_limit(self) -> int | None:
        return None if self.all_personas else PERSONAS_SHOWN

    @property
    def rollup_limit(self) -> int | None:
        return None if self.all_rows else ROLLUP_ROWS_SHOWN

    @property
    def warning_limit(self) -> int | None:
        return None if self.all_warnings else WARNINGS_SHOWN

    @property
    def warning_slice(self) -> str:
        """For the ``slice`` filter: the warnings shown."""
        return ":" if self.all_warnings else f":{WARNINGS_SHOWN}"

    def rows(self, view) -> list[tuple[int, object]]:
        numbered = list(enumerate(view.personas, start=1))
        limit = self.persona_limit
        if limit is None:
            return numbered
        # An opened persona beyond the first rows stays on the page.
        return [(n, row) for n, row in numbered if n <= limit or n in self.expanded]

    def hidden_personas(self, view) -> int:
        return len(view.personas) - len(self.rows(view))

    def _with(self, **changes) -> str:
        """The page's address with the current view choices, changed."""
        params = {
            "personas": "all" if self.all_personas else None,
            "rows": "all" if self.all_rows else None,
            "warnings": "all" if self.all_warnings else None,
            "expand": sorted(self.expanded),
            **changes,
        }
        pairs = [
            (key, value)
            for key, values in params.items()
            for value in (values if isinstance(values, list) else [values])
            if value is not None
        ]
        return f"{self.url}?{urlencode(pairs)}" if pairs else self.url

    def toggle_url(self, number: int) -> str:
        """Without JavaScript: the page with this persona's lines opened or closed."""
        return self._with(expand=sorted(self.expanded ^ {number}))

    def row_url(self, number: int, opened: bool) -> str:
        """With htmx: this persona's rows alone, opened or closed (the what-if
        form's values and its open personas come with the request)."""
        change = "collapse" if opened else "expand"
        return f"{self.url}?{urlencode({'row': number, change: number})}"

    def all_personas_url(self) -> str:
        return self._with(personas="all") + "#h-lines"

    def all_warnings_url(self) -> str:
        return self._with(warnings="all") + "#h-warnings"

    def all_rows_url(self, anchor: str) -> str:
        return self._with(rows="all") + f"#{anchor}"

    @property
    def only(self) -> int | None:
        if self.everything:
            return None
        """The persona whose rows alone are asked for, if any."""
        value = self.query.get("row", "")
        return int(value) if value.isdigit() and int(value) <= 100_000 else None

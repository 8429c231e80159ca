"""Splits and the drift between them: which number is compared with which, in words.

A plan has three splits between where personas are and where they are going:
its **headline** ratio (the manager's commitment), the split it **allocates**
(the weighted result of every persona's ratio) and the **actual** split of the
effort recorded. Each persona has the same three, with her own ratio in force
in place of the headline. Drift is the difference, in percentage points of the
present share, between two of them; beyond the workspace's tolerance it is
flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

HUNDRED = Decimal(100)


def two_parts(present, places: int = 0) -> tuple[Decimal, Decimal]:
    """A present share and the future share as shown with ``places`` decimals,
    adding to exactly 100: the present share is rounded (half to even) and the
    future share is the rest — the largest-remainder method for two parts."""
    shown = Decimal(str(present)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_EVEN)
    return shown, HUNDRED - shown


def whole_split(present) -> tuple[int, int]:
    """A present share as two whole percentages that add to 100."""
    shown, rest = two_parts(present)
    return int(shown), int(rest)


@dataclass(frozen=True)
class Split:
    """A present share in percent (the future share is the rest) and its name."""

    subject: str  # as the subject of a sentence: "Actual", "Allocated"
    reference: str  # as what is compared with: "the allocated", "the plan's headline"
    present: float | Decimal

    @property
    def text(self) -> str:
        present, future = whole_split(self.present)
        return f"{present} / {future}"

    @property
    def exact_text(self) -> str:
        """With two decimals, as the figures show it."""
        present, future = two_parts(self.present, 2)
        return f"{present} / {future}"

    @property
    def parts(self) -> tuple[Decimal, Decimal]:
        """Present and future in percent with one decimal, adding to 100.0."""
        return two_parts(self.present, 1)


@dataclass(frozen=True)
class Drift:
    """How far ``measured`` is from ``against``, in points of the present share."""

    measured: Split
    against: Split
    tolerance: int

    @property
    def points(self) -> float:
        return float(self.measured.present) - float(self.against.present)

    @property
    def off(self) -> bool:
        return abs(self.points) > self.tolerance

    @property
    def direction(self) -> str:
        if round(abs(self.points), 1) == 0:
            return "on it"
        side = "where they are" if self.points > 0 else "where they are going"
        return f"{abs(self.points):.1f} points more on {side}"

    @property
    def sentence(self) -> str:
        """E.g. "Actual 92 / 8 against the allocated 82 / 18: 9.8 points more on where they are"."""
        return (
            f"{self.measured.subject} {self.measured.text} against {self.against.reference} "
            f"{self.against.text}: {self.direction}"
        )


def three_ways(
    headline: Split, allocated: Split | None, actual: Split | None, tolerance: int
) -> list[Drift]:
    """Allocated against the headline (or a persona's ratio), actual against the
    allocated, actual against the headline: each one that can be measured."""
    drifts = []
    if allocated is not None:
        drifts.append(Drift(allocated, headline, tolerance))
    if actual is not None and allocated is not None:
        drifts.append(Drift(actual, allocated, tolerance))
    if actual is not None:
        drifts.append(Drift(actual, headline, tolerance))
    return drifts

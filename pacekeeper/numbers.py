"""Shares shown in percent that add up: the largest-remainder method.

Plain Python, no Django. Stored figures stay exact; only what is shown is
rounded, each share down or up, so that a set that makes a whole adds to
exactly 100 at the precision shown (a mix legend, a "% of plan" column, a
split bar).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

Number = int | float | Decimal | Fraction


def largest_remainder(
    total: int, weights: Sequence[int], tie_break: Sequence | None = None
) -> list[int]:
    """Whole parts of ``total`` in proportion to integer ``weights`` (not negative,
    not all zero), each the exact quota rounded down or up, adding to ``total``.
    The largest remainders get the parts left; a tie goes to the smaller
    ``tie_break`` value, by default the earlier weight."""
    weight_sum = sum(weights)
    parts, remainders = [], []
    for weight in weights:
        part, remainder = divmod(total * weight, weight_sum)
        parts.append(part)
        remainders.append(remainder)
    left = total - sum(parts)
    if left:
        if tie_break is None:
            # A stable sort keeps equal remainders in their order: the earlier wins.
            order = sorted(range(len(weights)), key=remainders.__getitem__, reverse=True)
        else:
            order = sorted(range(len(weights)), key=lambda i: (-remainders[i], tie_break[i]))
        for i in order[:left]:
            parts[i] += 1
    return parts


def _integers(amounts: Sequence[Number | None]) -> list[int]:
    """Integers in the same ratios as ``amounts`` (missing ones are 0)."""
    values = [0 if a is None else a for a in amounts]
    if all(type(v) is int for v in values):
        return values
    if all(type(v) in (int, Decimal) for v in values):
        # Database decimals: scale by the most decimal places.
        exponents = {v.as_tuple().exponent for v in values if type(v) is Decimal}
        scale = 10 ** max(0, *(-e for e in exponents))
        return [int(v * scale) for v in values]
    fractions = [Fraction(str(v)) if isinstance(v, float) else Fraction(v) for v in values]
    scale = math.lcm(*(f.denominator for f in fractions))
    return [f.numerator * (scale // f.denominator) for f in fractions]


def percentages(amounts: Sequence[Number | None], places: int = 1) -> list[Decimal | None]:
    """Each amount's share of their sum in percent, with ``places`` decimals,
    adding to exactly 100. Missing amounts count as 0; all zero gives ``None``s."""
    if not amounts:
        return []
    weights = _integers(amounts)
    if any(w < 0 for w in weights):
        raise ValueError("Shares of a whole cannot be negative.")
    if sum(weights) == 0:
        return [None] * len(weights)
    return [Decimal(p).scaleb(-places) for p in largest_remainder(100 * 10**places, weights)]

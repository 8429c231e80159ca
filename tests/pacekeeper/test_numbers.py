"""Shown percentages add up to exactly 100, each within one step of the exact share."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pacekeeper.numbers import percentages

amounts = st.lists(
    st.one_of(
        st.integers(0, 10**9),
        st.decimals(0, 10**7, places=2, allow_nan=False, allow_infinity=False),
    ),
    min_size=1,
    max_size=40,
)


@given(amounts, st.integers(0, 3))
def test_shown_shares_add_to_exactly_100(values, places):
    shown = percentages(values, places)
    if sum(values) == 0:
        assert shown == [None] * len(values)
        return
    assert sum(shown) == 100
    step = Fraction(1, 10**places)
    total = sum(Fraction(v) for v in values)
    for value, share in zip(values, shown, strict=True):
        exact = Fraction(value) * 100 / total
        assert abs(Fraction(share) - exact) < step  # rounded down or up, never further
        assert share.as_tuple().exponent == -places


def test_the_legend_that_added_to_99_adds_to_100():
    # Three channels with shares 4 : 3 : 2 — rounded one by one: 44 + 33 + 22 = 99.
    assert percentages([4, 3, 2], 0) == [45, 33, 22]
    assert percentages([Decimal("1.00"), Decimal("1.00"), Decimal("1.00")]) == [
        Decimal("33.4"),
        Decimal("33.3"),
        Decimal("33.3"),
    ]


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError, match="cannot be negative"):
        percentages([1, -1])

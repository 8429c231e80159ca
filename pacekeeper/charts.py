"""Geometry for server-rendered SVG charts. Templates draw; this only computes.

No chart library: every chart is a few rects or a polyline, with a <title> and
the same figures as text beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Sparkline:
    points: str  # "x,y x,y …" for <polyline points>
    last_x: float
    last_y: float
    width: int
    height: int
    rising: bool | None  # None: flat or a single point


def sparkline(
    values: Sequence[float | Decimal], width: int = 96, height: int = 24, pad: float = 3
) -> Sparkline | None:
    """A polyline through ``values`` scaled into ``width`` × ``height``; None if empty."""
    if not values:
        return None
    nums = [float(v) for v in values]
    low, high = min(nums), max(nums)
    span = high - low
    inner_w, inner_h = width - 2 * pad, height - 2 * pad
    step = inner_w / (len(nums) - 1) if len(nums) > 1 else 0
    coords = []
    for i, v in enumerate(nums):
        x = pad + i * step if len(nums) > 1 else width / 2
        y = pad + inner_h / 2 if span == 0 else pad + inner_h * (1 - (v - low) / span)
        coords.append((round(x, 2), round(y, 2)))
    rising = None if nums[-1] == nums[0] else nums[-1] > nums[0]
    return Sparkline(
        points=" ".join(f"{x},{y}" for x, y in coords),
        last_x=coords[-1][0],
        last_y=coords[-1][1],
        width=width,
        height=height,
        rising=rising,
    )


@dataclass(frozen=True)
class Segment:
    """One part of a 100-wide stacked bar."""

    label: str
    value: float  # percent of the bar
    x: float
    css: str
    show_label: bool


def stacked(parts: Sequence[tuple[str, float, str]], min_label: float = 9) -> list[Segment]:
    """``parts`` as (label, percent, css class), laid end to end on a 0–100 axis."""
    out, x = [], 0.0
    for label, value, css in parts:
        if value <= 0:
            continue
        out.append(Segment(label, value, round(x, 3), css, value >= min_label))
        x += value
    return out

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
    shown: Decimal | None = None  # the percentage a legend shows (the set adds to 100)


def stacked(parts: Sequence[tuple[str, float, str]], min_label: float = 9) -> list[Segment]:
    """``parts`` as (label, percent, css class), laid end to end on a 0–100 axis."""
    out, x = [], 0.0
    for label, value, css in parts:
        if value <= 0:
            continue
        out.append(Segment(label, value, round(x, 3), css, value >= min_label))
        x += value
    return out


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    label: str
    value: str


@dataclass(frozen=True)
class ProgressChart:
    """Results over time against a baseline and a target, in a fixed viewBox."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    baseline_y: float
    target_y: float
    points: list[ChartPoint]
    y_ticks: list[tuple[float, str]]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


def _fmt(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def progress_chart(
    results: Sequence[tuple[object, float | Decimal]],
    baseline: float | Decimal,
    target: float | Decimal,
    width: int = 640,
    height: int = 220,
) -> ProgressChart:
    """``results`` as (date, value), oldest first; dates spread evenly by order."""
    left, right, top, bottom = 56.0, width - 36.0, 16.0, height - 28.0
    values = [float(v) for _, v in results]
    low = min([float(baseline), float(target), *values])
    high = max([float(baseline), float(target), *values])
    if high == low:
        high, low = high + 1, low - 1
    pad = (high - low) * 0.08
    low, high = low - pad, high + pad

    def y_of(v: float) -> float:
        return round(bottom - (v - low) / (high - low) * (bottom - top), 2)

    n = len(values)
    points = []
    for i, (day, value) in enumerate(results):
        x = left + (right - left) * (i / (n - 1) if n > 1 else 0.5)
        label = day.strftime("%-d %b") if hasattr(day, "strftime") else str(day)
        points.append(ChartPoint(round(x, 2), y_of(float(value)), label, _fmt(float(value))))
    ticks = [(y_of(low + (high - low) * k / 4), _fmt(low + (high - low) * k / 4)) for k in range(5)]
    return ProgressChart(
        width,
        height,
        left,
        right,
        top,
        bottom,
        y_of(float(baseline)),
        y_of(float(target)),
        points,
        ticks,
    )


@dataclass(frozen=True)
class HBar:
    label: str
    y: float
    present_width: float
    future_x: float
    future_width: float
    total_x: float
    present: str
    future: str
    total: str


@dataclass(frozen=True)
class HBarChart:
    width: int
    height: int
    label_width: int
    bars: list[HBar]


def hbars(
    items: Sequence[tuple[str, float | Decimal, float | Decimal]],
    width: int = 640,
    bar: int = 18,
    gap: int = 8,
    label_width: int = 160,
) -> HBarChart:
    """Horizontal stacked bars (present then future), scaled to the largest total."""
    biggest = max((float(p) + float(f) for _, p, f in items), default=0) or 1
    room = width - label_width - 70
    bars = []
    for i, (label, present, future) in enumerate(items):
        present_width = round(float(present) / biggest * room, 2)
        future_width = round(float(future) / biggest * room, 2)
        bars.append(
            HBar(
                label=label,
                y=i * (bar + gap),
                present_width=present_width,
                future_x=label_width + present_width,
                future_width=future_width,
                total_x=label_width + present_width + future_width + 6,
                present=_fmt(float(present)),
                future=_fmt(float(future)),
                total=f"{float(present) + float(future):,.0f}",
            )
        )
    return HBarChart(width, max(bar, len(items) * (bar + gap)), label_width, bars)


@dataclass(frozen=True)
class Line:
    """One series of a line chart: its points where it has a value."""

    name: str
    css: str
    points: list[ChartPoint]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


@dataclass(frozen=True)
class LineChart:
    """Several series over the same labels (quarters), on one 0-based axis."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    lines: list[Line]


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float | Decimal | None]]],
    width: int = 480,
    height: int = 220,
    unit: str = "",
) -> LineChart:
    """``series`` as (name, css class, one value or None per label); the axis runs
    from 0 to the largest value rounded up to a ten. A missing value breaks nothing:
    the line joins the values it has."""
    left, right, top, bottom = 44.0, width - 28.0, 12.0, height - 28.0
    values = [float(v) for _, _, vs in series for v in vs if v is not None]
    high = max(10.0, -(-max(values, default=0) // 10) * 10)
    n = len(labels)

    def x_of(i: int) -> float:
        return round(left + (right - left) * (i / (n - 1) if n > 1 else 0.5), 2)

    def y_of(v: float) -> float:
        return round(bottom - v / high * (bottom - top), 2)

    lines = [
        Line(name, css, [
            ChartPoint(x_of(i), y_of(float(v)), labels[i], f"{_fmt(float(v))}{unit}")
            for i, v in enumerate(vs) if v is not None
        ])
        for name, css, vs in series
    ]  # fmt: skip
    ticks = [(y_of(high * k / 4), f"{_fmt(high * k / 4)}{unit}") for k in range(5)]
    return LineChart(
        width, height, left, right, top, bottom,
        [(x_of(i), label) for i, label in enumerate(labels)], ticks, lines,
    )  # fmt: skip

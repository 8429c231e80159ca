"""Small template helpers shared by every app's pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("components/split_bar.html")
def split_bar(present: int | float | None, label: str = "", height: int = 10) -> dict:
    """A present/future bar as inline SVG (no inline style, so the CSP holds)."""
    present = max(0.0, min(100.0, float(present or 0)))
    return {
        "present": present,
        "future": 100 - present,
        "label": label,
        "height": height,
    }


@register.filter
def pct(value: float | int | None, digits: int = 0) -> str:
    """A share as a percentage: 12.345 -> "12%" (or "12.3%" with digits=1)."""
    if value is None:
        return "—"
    return f"{float(value):.{int(digits)}f}%"


@register.filter
def dots(value: int, out_of: int = 5) -> str:
    value = max(0, min(int(value or 0), out_of))
    return "●" * value + "○" * (out_of - value)


@register.inclusion_tag("components/split_rows.html")
def split_rows(*rows, title: str = "") -> dict:
    """Present/future bars, one per (label, present percent) pair given as
    alternating arguments: {% split_rows "Target" 80 "Planned" planned %}."""
    pairs = []
    for label, present in zip(rows[::2], rows[1::2], strict=False):
        if present is None:
            pairs.append({"label": label, "present": None, "future": None})
            continue
        present = max(0.0, min(100.0, float(present)))
        pairs.append({"label": label, "present": present, "future": 100 - present})
    return {"rows": pairs, "title": title, "height": 30 * len(pairs) + 4}


@register.filter
def amount(value) -> str:
    """An effort with two decimals and thousands separators: 12345.6 -> "12,345.60"."""
    if value is None or value == "":
        return "—"
    return f"{value:,.2f}"


@register.filter
def complement(value) -> object:
    """100 minus a percentage: the future share of a present share."""
    if value is None or value == "":
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    rest = 100 - number
    return int(rest) if rest == int(rest) else round(rest, 2)


@register.filter
def percent_of(part, whole) -> str:
    """``part`` as a percentage of ``whole`` with one decimal ("12.5%"), or ""."""
    try:
        if not whole:
            return ""
        return f"{float(part) * 100 / float(whole):.1f}%"
    except (TypeError, ValueError):
        return ""

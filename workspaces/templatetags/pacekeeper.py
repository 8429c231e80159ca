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

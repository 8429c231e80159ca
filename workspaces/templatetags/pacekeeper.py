"""Small template helpers shared by every app's pages."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from pacekeeper.charts import hbars
from pacekeeper.numbers import percentages

register = template.Library()


@register.simple_tag
def link(name: str, *args) -> str:
    """``{% url name args %}``, reversed once per process for the same name and
    arguments: the header every page draws links to the same dozen places."""
    return _reversed(get_urlconf(), get_script_prefix(), name, args)


@lru_cache(maxsize=4096)
def _reversed(urlconf, prefix: str, name: str, args: tuple) -> str:
    # The URLconf and the script prefix are part of the key: reverse reads both.
    return reverse(name, urlconf=urlconf, args=args)


SPLIT_BAR = (
    '<svg class="split-bar" viewBox="0 0 100 {h}" preserveAspectRatio="none" role="img" aria-label="{aria}">'
    "<title>{title}</title>"
    '<rect class="chart-track" x="0" y="0" width="100" height="{h}" rx="2"/>'
    '<rect class="chart-present" x="0" y="0" width="{p:.3f}" height="{h}"/>'
    '<rect class="chart-future" x="{p:.3f}" y="0" width="{f:.3f}" height="{h}"/></svg>'
)


@register.simple_tag
def split_bar(present: int | float | None, label: str = "", height: int = 10) -> str:
    """A present/future bar as inline SVG (attributes, no inline style: the CSP
    holds). Built as a string: tables show one per row, hundreds of rows."""
    present = max(0.0, min(100.0, float(present or 0)))
    future = 100 - present
    shown, rest = _whole(present)
    prefix = f"{escape(label)}: " if label else ""
    return mark_safe(  # every text part is escaped
        SPLIT_BAR.format(
            h=int(height),
            p=present,
            f=future,
            aria=f"{prefix}{shown}% where they are, {rest}% where they are going",
            title=f"{prefix}{shown} / {rest} present / future",
        )
    )


def _whole(present: float) -> tuple[Decimal, Decimal]:
    """Present and future as whole percentages adding to 100 (largest remainder)."""
    shown = percentages([present, 100 - present], 0)
    return shown[0], shown[1]


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
        shown, rest = _whole(present)
        pairs.append(
            {
                "label": label,
                "present": present,
                "future": 100 - present,
                "shown": shown,
                "rest": rest,
            }
        )
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
def signed(value) -> str:
    """A change with its sign and one decimal: 2 -> "+2.0", -3.25 -> "−3.2"."""
    if value is None or value == "":
        return "—"
    text = f"{float(value):+.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text.replace("-", "−")


@register.filter
def sub(value, arg):
    """``value`` minus ``arg`` (numbers of the same kind: Decimal amounts)."""
    try:
        return value - arg
    except TypeError:
        return ""


@register.filter
def get(mapping, key):
    """``mapping[key]``, or "" when missing."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.inclusion_tag("components/hbars.html")
def channel_bars(rows, title: str = "", limit: int = 12) -> dict:
    """Planned effort per channel as horizontal present + future bars."""
    shown = list(rows)[:limit]
    return {
        "chart": hbars([(r.label, r.present, r.future) for r in shown]),
        "title": title,
        "more": max(0, len(rows) - limit),
    }

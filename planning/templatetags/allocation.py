"""The allocation table's body, rendered in one pass.

A large plan has thousands of lines, and the what-if preview re-renders its rows
on every move of the slider. The page shows one summary row per persona (the
first ones of a large plan) and a persona's lines only once opened. Building the
rows here — every piece of text escaped with ``escape``, figures formatted by
Python — keeps the preview fast; a template loop of the same markup costs
several times more.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from planning.allocation import Bucket

register = template.Library()

WHERE = {Bucket.PRESENT: "where they are", Bucket.FUTURE: "where they are going"}
# Compact markup: a large plan has thousands of these rows.
LINE = (
    '<tr class="line-row line-{bucket}{warning}"><td><i class="bucket-dot bucket-{bucket}"></i>{label}</td>'
    "<td>{where}</td><td>{amount:,.2f}</td><td>{of_persona}</td><td>{of_plan}</td>"
    "<td>{actual}</td><td>{remaining}</td></tr>"
)
PERSONA = (
    '<tr class="persona-row"><th scope="rowgroup">{name}<div class="persona-row-meta small muted">{weight}</div>{toggle}</th>'
    '<td class="ratio-cell">{ratio}{suggestion}{share_input}</td><td class="num">{amount}</td><td class="num"></td>'
    '<td class="num">{of_plan}</td><td class="num">{actual}</td><td class="num">{remaining}</td></tr>'
)
# The figures of a persona's row that a what-if changes, each with an id of its
# own: the what-if answer sends these alone, out of band.
RATIO = (
    '<div id="p{n}-r"{oob}><strong class="present-text">{share}</strong> / <strong class="future-text">{future_share}</strong>'
    ' <span class="small muted">· {source}</span></div>'
)
AMOUNT = (
    '<div id="p{n}-a"{oob}><strong>{amount:,.2f}</strong><div class="small muted"><span class="present-text">{present:,.2f}</span>'
    ' / <span class="future-text">{future:,.2f}</span></div></div>'
)
OOB = ' data-hx-swap-oob="true"'


@lru_cache(maxsize=4096)
def _label(text: str, url: str) -> str:
    if url:
        return f'<a href="{escape(url)}">{escape(text)}</a>'
    return escape(text)


def _pct(value) -> str:
    """A shown share, already rounded to one decimal."""
    return "" if value is None else f"{value}%"


def _money(value) -> str:
    return "" if value is None else f"{value:,.2f}"


def _number(value) -> str:
    return f"{value.normalize():f}" if value is not None else ""


def _input(field, label: str, **attrs: str) -> str:
    """A small number input for a what-if field, with its errors."""
    value = field.value()
    invalid = " is-invalid" if field.errors else ""
    errors = (
        f'<span class="field-errors">{escape(" ".join(field.errors))}</span>'
        if field.errors
        else ""
    )
    extra = "".join(f' {name}="{escape(v)}"' for name, v in attrs.items())
    return (
        f'<label for="{field.id_for_label}">{label}</label>'
        f'<input type="number" name="{field.html_name}" id="{field.id_for_label}" '
        f'value="{escape("" if value is None else value)}" min="0"{extra} class="mini-input{invalid}">{errors}'
    )


def _figures(row, n: int, oob: str = "") -> dict[str, str]:
    """A persona row's figures that a what-if moves, keyed by their cell."""
    figures = {
        "ratio": RATIO.format(
            n=n, oob=oob, share=_number(row.share), future_share=_number(row.future_share),
            source=escape(row.source_label),
        ),
        "amount": AMOUNT.format(n=n, oob=oob, amount=row.amount, present=row.present, future=row.future),
        "of_plan": f'<span id="p{n}-p"{oob}>{_pct(row.of_plan)}</span>',
    }  # fmt: skip
    if row.actual:  # recording effort redraws the whole allocation
        figures["remaining"] = f'<span id="p{n}-m"{oob}>{_money(row.amount - row.actual)}</span>'
    return figures


def _suggestion(row) -> str:
    """The ratio suggested for her adoption stage, when hers differs."""
    if row.suggestion is None or row.follows_suggestion:
        return ""
    return (
        f'<div class="small muted">{escape(row.stage_label)}: '
        f"{row.suggestion} / {100 - row.suggestion} suggested</div>"
    )


def _persona(row, n: int, toggle: str = "") -> str:
    weight_field = getattr(row, "weight_field", None)
    share_field = getattr(row, "share_field", None)
    weight = (
        _input(weight_field, "Weight", step="any")
        if weight_field
        else f"weight {_number(row.weight)}"
    )
    share_input = ""
    if share_field:
        share_input = f'<div class="persona-row-meta small">{_input(share_field, "Own share here", max="100", placeholder="—")}</div>'
    return PERSONA.format(
        name=_label(row.name, row.url),
        weight=weight,
        toggle=toggle,
        share_input=share_input,
        actual=_money(row.actual) if row.actual else "",
        suggestion=_suggestion(row),
        **{"remaining": "", **_figures(row, n)},
    )


def _toggle(row, number: int, shown) -> str:
    """The link that opens or closes a persona's lines: a page of its own without
    JavaScript, the persona's rows alone with htmx (the what-if values with it)."""
    if shown.everything:
        return ""
    opened = number in shown.expanded
    count = row.line_count
    text = "Hide lines" if opened else f"Show {count} line{'s' if count != 1 else ''}"
    keep = f'<input type="hidden" name="expand" value="{number}">' if opened else ""
    return (
        f'<div class="persona-row-meta small">{keep}<a class="lines-toggle" id="lines-toggle-{number}" '
        f'href="{escape(shown.toggle_url(number))}#persona-{number}" aria-expanded="{str(opened).lower()}" '
        f'data-hx-get="{escape(shown.row_url(number, opened))}" data-hx-include="#whatif" '
        f'data-hx-target="#persona-{number}" data-hx-swap="outerHTML" '
        f'data-focus-after="#lines-toggle-{number}">{text}'
        f'<span class="visually-hidden"> of {escape(row.name)}</span></a></div>'
    )


def _lines(row) -> list[str]:
    return [
        LINE.format(
            bucket=line.bucket,
            warning=" line-warning" if line.kind.is_gap else "",
            label=_label(line.label, line.url),
            where=WHERE[line.bucket],
            amount=line.amount,
            of_persona=_pct(line.of_persona),
            of_plan=_pct(line.of_plan),
            actual=_money(line.actual) if line.actual else "",
            remaining=_money(line.remaining) if line.actual else "",
        )
        for line in row.lines
    ]


def _tbody(row, number: int, shown, oob: str = "") -> list[str]:
    parts = [
        f'<tbody class="alloc-persona" id="persona-{number}"{oob}>',
        _persona(row, number, _toggle(row, number, shown)),
    ]
    if shown.is_open(number):
        parts.extend(_lines(row))
    parts.append("</tbody>")
    return parts


@register.simple_tag
def allocation_body(view, shown, single: int | None = None) -> SafeString:
    """One <tbody> per shown persona: her figures and ratio, then her lines if
    opened; with ``single``, that persona's <tbody> alone (numbered from 1)."""
    parts = []
    for number, row in shown.rows(view):
        if single is None or number == single:
            parts.extend(_tbody(row, number, shown))
    return mark_safe("\n".join(parts))


@register.simple_tag
def allocation_changes(view, shown) -> SafeString:
    """What a what-if changes in the persona rows on the page, out of band: each
    shown persona's figures, and the opened personas' rows whole (their lines)."""
    parts = []
    for number, row in shown.rows(view):
        if number in shown.expanded:
            parts.append("<template>")
            parts.extend(_tbody(row, number, shown, oob=OOB))
            parts.append("</template>")
        else:
            parts.extend(_figures(row, number, OOB).values())
    return mark_safe("".join(parts))


@register.simple_tag
def top_rows(table, shown, more: str, anchor: str):
    """A roll-up table at its largest rows, unless every row is asked for."""
    return table.top(shown.rollup_limit, more, shown.all_rows_url(anchor))


@register.filter
def hidden_personas(shown, view) -> int:
    """How many of the plan's personas the page leaves out."""
    return shown.hidden_personas(view)

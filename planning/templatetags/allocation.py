"""The allocation table's body, rendered in one pass.

A large plan has thousands of lines, and the what-if preview re-renders them on
every move of the slider. Building the rows here — every piece of text escaped
with ``escape``, figures formatted by Python — keeps a 50-persona × 30-channel
preview fast; a template loop of the same markup costs several times more.
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
    '<tr class="persona-row"><th scope="rowgroup">{name}<div class="persona-row-meta small muted">{weight}</div></th>'
    '<td class="ratio-cell"><strong class="present-text">{share}</strong> / <strong class="future-text">{future_share}</strong>'
    ' <span class="small muted">· {source}</span>{share_input}{suggestion}</td>'
    '<td class="num"><strong>{amount:,.2f}</strong><div class="small muted"><span class="present-text">{present:,.2f}</span>'
    ' / <span class="future-text">{future:,.2f}</span></div></td><td class="num"></td><td class="num">{of_plan}</td>'
    '<td class="num">{actual}</td><td class="num">{remaining}</td></tr>'
)


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


def _persona(row) -> str:
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

    suggestion = (
        f'<div class="small muted">{escape(row.stage_label)}: {row.suggestion} / {100 - row.suggestion} suggested</div>'
        if row.suggestion is not None and not row.follows_suggestion
        else ""
    )
    return PERSONA.format(
        name=_label(row.name, row.url),
        weight=weight,
        share=_number(row.share),
        future_share=_number(row.future_share),
        source=escape(row.source_label),
        share_input=share_input,
        suggestion=suggestion,
        amount=row.amount,
        present=row.present,
        future=row.future,
        of_plan=_pct(row.of_plan),
        actual=_money(row.actual) if row.actual else "",
        remaining=_money(row.amount - row.actual) if row.actual else "",
    )


@register.simple_tag
def allocation_body(view) -> SafeString:
    """One <tbody> per persona: its figures and ratio, then its lines."""
    parts = []
    for row in view.personas:
        parts.append('<tbody class="alloc-persona">')
        parts.append(_persona(row))
        parts.extend(
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
        )
        parts.append("</tbody>")
    return mark_safe("\n".join(parts))

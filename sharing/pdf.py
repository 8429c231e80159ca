"""HTML to PDF on the server, with WeasyPrint.

The page is rendered from the same template and stylesheets as the screen
(the print media rules apply). WeasyPrint fetches nothing from the network:
its URL fetcher hands it the app's own static files from disk and refuses
every other address.

WeasyPrint paints inline SVG charts by their own rules only, not by the
page's stylesheet, so each chart is given the stylesheet's rules that paint
SVG (``fill``, ``stroke``…), with the custom properties resolved: the PDF's
charts take the screen's colours from the one place they are defined.
"""

from __future__ import annotations

import mimetypes
import re
from functools import cache
from pathlib import Path
from typing import Any

import tinycss2
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils._os import safe_join
from django.utils.text import slugify
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Documents are rendered as if served from this origin; only its static files resolve.
BASE_URL = "https://pacekeeper.invalid/"


def _static_file(name: str) -> Path | None:
    """The file behind a static name: the collected copy in production, else the source."""
    if settings.STATIC_ROOT:
        try:
            path = Path(safe_join(settings.STATIC_ROOT, name))
        except ValueError:  # outside STATIC_ROOT
            return None
        if path.is_file():
            return path
    try:
        found = finders.find(name)
    except SuspiciousFileOperation:  # outside every static folder
        return None
    return Path(found) if isinstance(found, str) else None


class StaticFilesOnly(URLFetcher):
    """Static files of the app, read from disk; anything else is refused."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
        if not url.startswith(prefix):
            raise ValueError(f"Only the app's static files may be fetched, not {url}")
        name = url[len(prefix) :].split("?", 1)[0].split("#", 1)[0]
        path = _static_file(name)
        if path is None:
            raise ValueError(f"No static file {name}")
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime_type})


# The stylesheet whose SVG rules charts take, and the properties that paint SVG.
CHART_STYLESHEET = "css/pacekeeper.css"
SVG_PAINT = {"fill", "stroke"}
SVG_PROPERTIES = SVG_PAINT | {
    "stroke-width", "stroke-dasharray", "stroke-linejoin", "stroke-linecap", "opacity",
    "fill-opacity", "font-size", "font-weight", "font-family", "text-anchor",
}  # fmt: skip
_VAR = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,([^)]*))?\)")
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


@cache
def svg_stylesheet() -> str:
    """The top-level rules of the app's stylesheet that paint SVG, as plain CSS
    with every ``var(--x)`` replaced by its value from ``:root``."""
    path = _static_file(CHART_STYLESHEET)
    if path is None:
        return ""
    rules = tinycss2.parse_stylesheet(path.read_text(), skip_comments=True, skip_whitespace=True)
    variables: dict[str, str] = {}
    painting: list[tuple[str, list[tuple[str, str]]]] = []
    for rule in rules:
        if rule.type != "qualified-rule":
            continue  # @media and other at-rules: screen sizes and print, not charts
        selector = tinycss2.serialize(rule.prelude).strip()
        declarations = [
            (d.lower_name, tinycss2.serialize(d.value).strip())
            for d in tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True)
            if d.type == "declaration"
        ]
        if selector == ":root":
            variables.update((name, value) for name, value in declarations if name.startswith("--"))
        elif any(name in SVG_PAINT for name, _ in declarations):
            painting.append((selector, declarations))

    def resolve(value: str) -> str:
        for _ in range(5):  # variables that name variables
            value = _VAR.sub(lambda m: variables.get(m[1], (m[2] or "").strip()), value)
        return value

    return "\n".join(
        f"{selector} {{ {'; '.join(f'{n}: {resolve(v)}' for n, v in declarations if n in SVG_PROPERTIES)} }}"
        for selector, declarations in painting
    )


def _paint_charts(html: str) -> str:
    """Each inline SVG with the stylesheet's SVG rules inside it."""
    style = svg_stylesheet()
    if not style:
        return html
    return _SVG_OPEN.sub(lambda m: f"{m[0]}<style>{style}</style>", html)


_STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)"(?: media="print")?>')


@cache
def _parsed_stylesheet(href: str, modified: float) -> CSS:
    """A stylesheet parsed once per process (and again when the file changes)."""
    return CSS(url=BASE_URL + href.lstrip("/"), url_fetcher=StaticFilesOnly())


def _stylesheets(html: str) -> tuple[str, list[CSS]]:
    """The page without its stylesheet links, and those stylesheets parsed. All
    of them apply: a PDF is print, so print-only sheets belong too."""
    sheets = []
    for href in _STYLESHEET_LINK.findall(html):
        prefix = (
            settings.STATIC_URL
            if settings.STATIC_URL.startswith("/")
            else "/" + settings.STATIC_URL
        )
        path = _static_file(href.removeprefix(prefix)) if href.startswith(prefix) else None
        if path is not None:
            sheets.append(_parsed_stylesheet(href, path.stat().st_mtime))
    return _STYLESHEET_LINK.sub("", html), sheets


def _document(html: str):
    html, sheets = _stylesheets(_paint_charts(html))
    page = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly())
    return page.render(stylesheets=sheets)


def html_to_pdf(html: str) -> bytes:
    return _document(html).write_pdf()


# How many fit levels a fitted template knows: 0 as designed, each next one tighter.
FIT_LEVELS = 3


def fitted_pdf(template: str, context: dict[str, Any], *, pages: int) -> bytes:
    """``template`` on at most ``pages`` pages. The template reads ``fit``
    (0, 1, 2) and sets its text tighter at each level; the first level that
    fits is kept. Past the last one the document keeps its first ``pages``."""
    for level in range(FIT_LEVELS):
        document = _document(render_to_string(template, context | {"fit": level}))
        if len(document.pages) <= pages:
            break
    else:
        document = document.copy(document.pages[:pages])
    return document.write_pdf()


def pdf_response(
    template: str, context: dict[str, Any], *, filename: str, pages: int | None = None
) -> HttpResponse:
    """``template`` rendered as a PDF download named ``filename``.pdf, fitted to
    ``pages`` pages when given."""
    if pages is None:
        pdf = html_to_pdf(render_to_string(template, context))
    else:
        pdf = fitted_pdf(template, context, pages=pages)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(filename) or "document"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response

"""HTML to PDF on the server, with WeasyPrint.

The page is rendered from the same template and stylesheets as the screen
(the print media rules apply). WeasyPrint fetches nothing from the network:
its URL fetcher hands it the app's own static files from disk and refuses
every other address.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils._os import safe_join
from django.utils.text import slugify
from weasyprint import HTML
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


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf()


# How many fit levels a fitted template knows: 0 as designed, each next one tighter.
FIT_LEVELS = 3


def fitted_pdf(template: str, context: dict[str, Any], *, pages: int) -> bytes:
    """``template`` on at most ``pages`` pages. The template reads ``fit``
    (0, 1, 2) and sets its text tighter at each level; the first level that
    fits is kept. Past the last one the document keeps its first ``pages``."""
    for level in range(FIT_LEVELS):
        html = render_to_string(template, context | {"fit": level})
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).render()
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

"""One view, one template: the full page, or one named partial of it for htmx."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request for part of a page (boosted requests want the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render ``template``, or only its ``partial`` when htmx asks for a fragment."""
    name = f"{template}#{partial}" if partial and wants_fragment(request) else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


_INDENTATION = re.compile(rb"\n\s+")


def without_indentation(response: HttpResponse) -> HttpResponse:
    """An answer htmx swaps in out of band, sent again and again (a slider's
    every move), without the templates' indentation: a line break stays, so
    the page reads the same (none of these fragments holds a ``pre`` or a
    ``textarea``)."""
    response.content = _INDENTATION.sub(b"\n", response.content)
    return response


def form_status(request: HttpRequest, *forms: Any) -> int:
    """A page showing forms answers 200, or 422 when a POST brought one with errors."""
    return 422 if request.method == "POST" and any(form.errors for form in forms) else 200


def see_other(request: HttpRequest, url: str) -> HttpResponse:
    """After a POST: 303 to the next page; htmx gets a client-side redirect."""
    if wants_fragment(request):
        return HttpResponseClientRedirect(url)
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response

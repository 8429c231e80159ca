"""Helpers for the sharing tests: share through the pages, as a member would."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from django.test import Client
from django.urls import reverse

from tests.sharing.personas import make_extreme_persona, make_maxed_persona


def share(client: Client, workspace, kind: str, target, **data) -> str:
    """Create a link through the pages; returns its path (/s/<token>/), shown once."""
    url = reverse("sharing:create", args=[workspace.slug]) + f"?kind={kind}&target={target.pk}"
    response = client.post(url, {"expires_in": "30", **data})
    assert response.status_code == 303, response.content.decode()[:500]
    page = client.get(response["Location"]).content.decode()
    link = re.search(r'id="new-share-link" value="([^"]+)"', page).group(1)
    return "/" + link.split("/", 3)[3]


def token_of(path: str) -> str:
    return path.strip("/").split("/")[1]


def pdf_pages(content: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(content)).pages)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def maxed_persona(workspace):
    return make_maxed_persona(workspace)


@pytest.fixture
def extreme_persona(workspace):
    return make_extreme_persona(workspace)


@pytest.fixture
def still_clock(monkeypatch):
    """Rate-limit windows that do not roll over in the middle of a test."""
    from types import SimpleNamespace

    import django_ratelimit.core

    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: 1.8e9))

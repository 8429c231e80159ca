"""Stored XSS: hostile text in every persona field comes back escaped everywhere."""

from __future__ import annotations

import pytest
from django.urls import reverse

from personas.models import Persona, ResearchNote

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
]
TEXT_FIELDS = [
    "name", "role_title", "segment", "summary", "quote", "goals", "challenges", "objections",
    "buying_triggers", "says", "thinks", "does", "feels",
]  # fmt: skip


def assert_escaped(html: str, payload: str, where: str) -> None:
    assert payload not in html, f"raw payload on {where}"
    assert "<script>alert" not in html and "<img src=x" not in html, where


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_every_field_is_escaped_on_every_page(
    marketer_client, owner_client, workspace, payload
):
    persona = Persona.objects.create(
        workspace=workspace, **{f: f"{f} {payload}" for f in TEXT_FIELDS}
    )
    ResearchNote.objects.create(
        workspace=workspace, persona=persona, kind="survey", summary=f"note {payload}"
    )
    # Change a field through the app so History shows the payload too.
    marketer_client.post(
        reverse("personas:edit_section", args=[workspace.slug, persona.pk, "empathy"]),
        {
            "says": f"new {payload}",
            "thinks": "",
            "does": "",
            "feels": "",
            "version": persona.version,
        },
    )
    pages = {
        "list": reverse("personas:list", args=[workspace.slug]),
        "search": reverse("personas:list", args=[workspace.slug]) + "?q=" + "name",
        "detail": persona.get_absolute_url(),
        "history": reverse("personas:history", args=[workspace.slug, persona.pk]),
        "delete": reverse("personas:delete", args=[workspace.slug, persona.pk]),
    }
    pages |= {
        f"edit-{s}": reverse("personas:edit_section", args=[workspace.slug, persona.pk, s])
        for s in ["profile", "goals", "empathy", "adoption"]
    }
    for where, url in pages.items():
        html = owner_client.get(url).content.decode()
        assert_escaped(html, payload, where)
    detail = owner_client.get(persona.get_absolute_url()).content.decode()
    assert (
        "&lt;script&gt;" in detail
        or "&quot;&gt;&lt;img" in detail
        or "&#x27; onmouseover=&#x27;" in detail
    )


def test_search_text_is_escaped_in_the_no_match_message(marketer_client, workspace):
    Persona.objects.create(workspace=workspace, name="Olivia")
    html = marketer_client.get(
        reverse("personas:list", args=[workspace.slug]), {"q": PAYLOADS[1]}
    ).content.decode()
    assert_escaped(html, PAYLOADS[1], "search")

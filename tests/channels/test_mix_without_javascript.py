"""The channel mix without JavaScript: the share box saves through its own form."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from tests.factories import ChannelFactory, ChannelUsageFactory, PersonaFactory


def usage_url(name: str, usage) -> str:
    return reverse(f"channels:{name}", args=[usage.workspace.slug, usage.pk])


def test_the_share_box_saves_without_javascript(marketer_client, workspace):
    persona = PersonaFactory(workspace=workspace)
    usage = ChannelUsageFactory(
        persona=persona, channel=ChannelFactory(workspace=workspace), share=2
    )
    html = marketer_client.get(persona.get_absolute_url()).content.decode()
    assert f'action="{usage_url("usage_share", usage)}"' in html
    response = marketer_client.post(
        usage_url("usage_share", usage), {"share": "7", "version": usage.version}
    )
    assert response.status_code == 303
    usage.refresh_from_db()
    assert usage.share == Decimal("7")

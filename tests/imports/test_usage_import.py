from __future__ import annotations

import re
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from channels.models import Channel, ChannelUsage, UsageObservation
from tests.factories import ChannelFactory, ChannelUsageFactory, PersonaFactory
from workspaces.models import ImportBatch

HEADER = "persona,channel,share,stage,trend,evidence,last_verified,notes\n"


def go(client, workspace, text: str):
    response = client.post(
        reverse("imports:upload", args=[workspace.slug, "usages"]),
        {"file": SimpleUploadedFile("mix.csv", text.encode())},
    )
    assert response.status_code == 303, response.content.decode()[:300]
    return client.get(response["Location"]).content.decode()


def commit(client, workspace, **data):
    return client.post(
        reverse("imports:commit", args=[workspace.slug, ImportBatch.objects.get().pk]), data
    )


def test_new_channels_are_offered_and_created_only_when_asked(marketer_client, workspace):
    farah = PersonaFactory(workspace=workspace, name="Founder Farah")
    ChannelFactory(workspace=workspace, name="Podcasts")
    page = go(
        marketer_client,
        workspace,
        HEADER
        + "Founder Farah,podcasts,40,core,steady,interviews,2026-10-01,\nFounder Farah,Substack,10,Emerging,Rising,survey,,\n",
    )
    assert "Add the missing channels to the catalog" in page and "Substack" in page
    response = commit(marketer_client, workspace)
    assert response.status_code == 422 and not ChannelUsage.objects.exists()
    response = commit(marketer_client, workspace, create_channels="yes")
    assert response.status_code == 303
    assert Channel.objects.filter(workspace=workspace, name="Substack").exists()
    mix = {
        u.channel.name: (u.share, u.stage, u.trend)
        for u in ChannelUsage.objects.filter(persona=farah)
    }
    assert mix == {
        "Podcasts": (Decimal(40), "core", "steady"),
        "Substack": (Decimal(10), "emerging", "rising"),
    }
    assert UsageObservation.objects.filter(usage__persona=farah).count() == 2


def test_updates_record_an_observation_only_when_share_stage_or_trend_change(
    marketer_client, workspace
):
    farah = PersonaFactory(workspace=workspace, name="Farah")
    podcasts = ChannelUsageFactory(
        persona=farah,
        channel=ChannelFactory(workspace=workspace, name="Podcasts"),
        share=40,
        trend="steady",
        evidence="survey",
    )
    x = ChannelUsageFactory(
        persona=farah,
        channel=ChannelFactory(workspace=workspace, name="X"),
        share=20,
        evidence="survey",
    )
    go(
        marketer_client,
        workspace,
        HEADER
        + f"Farah,Podcasts,45,core,rising,survey,{podcasts.last_verified},\nFarah,X,20,core,steady,survey,{x.last_verified},now with a note\n",
    )
    commit(marketer_client, workspace)
    podcasts.refresh_from_db()
    x.refresh_from_db()
    assert (podcasts.share, podcasts.trend, podcasts.version) == (Decimal(45), "rising", 2)
    assert x.notes == "now with a note"
    assert list(
        UsageObservation.objects.values_list("usage__channel__name", "share_before", "share")
    ) == [("Podcasts", Decimal(40), Decimal(45))]
    # Rows saved in bulk are in the persona's history like any other change.
    history = marketer_client.get(
        reverse("personas:history", args=[workspace.slug, farah.pk])
    ).content.decode()
    assert "Bob Marketer</strong> changed share, trend of the channel usage" in history
    assert "Bob Marketer</strong> changed notes of the channel usage" in history


def test_bad_rows_import_nothing(marketer_client, workspace):
    PersonaFactory(workspace=workspace, name="Farah")
    page = go(
        marketer_client,
        workspace,
        HEADER
        + "Farah,LinkedIn,10,,,,,\nNobody,LinkedIn,10,,,,,\nFarah,X,-3,,,,,\nFarah,Y,ten,sideways,,,,\nFarah,LinkedIn,5,,,,,\n",
    )
    for message in [
        "no persona “Nobody”",
        "greater than or equal to 0",
        "Enter a number",
        "Select a valid choice",
        "appear twice",
    ]:
        assert message in page, message
    assert commit(marketer_client, workspace, create_channels="yes").status_code == 422
    assert (
        not ChannelUsage.objects.exists() and not Channel.objects.filter(name="LinkedIn").exists()
    )


def test_export_then_import_changes_nothing(marketer_client, workspace):
    farah = PersonaFactory(workspace=workspace, name="Farah")
    for i in range(3):
        ChannelUsageFactory(
            persona=farah,
            channel=ChannelFactory(workspace=workspace, name=f"Channel {i}"),
            share=Decimal("12.50") + i,
            notes=f"note {i}",
        )
    before = list(ChannelUsage.objects.order_by("pk").values())
    exported = marketer_client.get(
        reverse("channels:mix_export", args=[workspace.slug, "csv"])
    ).content
    response = marketer_client.post(
        reverse("imports:upload", args=[workspace.slug, "usages"]),
        {"file": SimpleUploadedFile("mix.csv", exported)},
    )
    page = marketer_client.get(response["Location"]).content.decode()
    assert re.search(r"Unchanged</p><p class=\"stat-value\">3<", page)
    commit(marketer_client, workspace)
    assert list(ChannelUsage.objects.order_by("pk").values()) == before
    assert not UsageObservation.objects.exists()

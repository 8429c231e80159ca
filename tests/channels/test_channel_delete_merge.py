from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from channels import registry, services
from channels.models import Channel, ChannelUsage, UsageObservation
from planning.models import Actual
from tests.factories import (
    ActualFactory,
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    PersonaFactory,
    PlanFactory,
)


def obs(usage, share):
    return UsageObservation.objects.create(
        workspace=usage.workspace, usage=usage, share=share, stage="core", trend="steady"
    )


def test_unused_channel_is_deleted_after_a_simple_confirmation(owner_client, workspace):
    channel = ChannelFactory(workspace=workspace, name="Fax")
    html = owner_client.get(
        reverse("channels:delete", args=[workspace.slug, channel.pk])
    ).content.decode()
    assert "No persona uses it" in html
    response = owner_client.post(
        reverse("channels:delete", args=[workspace.slug, channel.pk]), {"confirm": "yes"}
    )
    assert response.status_code == 303
    assert not Channel.objects.filter(pk=channel.pk).exists()


def test_deleting_a_channel_in_use_asks_first(owner_client, workspace):
    channel = ChannelFactory(workspace=workspace, name="Trade shows")
    usage = ChannelUsageFactory(
        persona=PersonaFactory(workspace=workspace, name="Olivia"), channel=channel
    )
    obs(usage, 10)
    url = reverse("channels:delete", args=[workspace.slug, channel.pk])
    html = owner_client.get(url).content.decode()
    assert "<strong>1</strong> usage in the mix of Olivia" in html
    assert "<strong>1</strong> dated observation of those usages" in html
    response = owner_client.post(url)  # not confirmed
    assert response.status_code == 422
    assert Channel.objects.filter(pk=channel.pk).exists() and ChannelUsage.objects.exists()
    owner_client.post(url, {"confirm": "yes"})
    assert not Channel.objects.filter(pk=channel.pk).exists()
    assert not ChannelUsage.objects.exists() and not UsageObservation.objects.exists()


def test_only_owners_delete(marketer_client, reviewer_client, workspace):
    channel = ChannelFactory(workspace=workspace)
    for client in (marketer_client, reviewer_client):
        assert (
            client.post(
                reverse("channels:delete", args=[workspace.slug, channel.pk]), {"confirm": "yes"}
            ).status_code
            == 403
        )
    assert Channel.objects.filter(pk=channel.pk).exists()


def test_merge_keeps_every_usage_and_observation(marketer_client, workspace):
    keep = ChannelFactory(workspace=workspace, name="LinkedIn")
    fold = ChannelFactory(workspace=workspace, name="LinkedIn (company page)")
    olivia = PersonaFactory(workspace=workspace, name="Olivia")
    dan = PersonaFactory(workspace=workspace, name="Dan")
    kept = ChannelUsageFactory(persona=olivia, channel=keep, share=10, stage="emerging")
    folded = ChannelUsageFactory(persona=olivia, channel=fold, share=5, stage="core")
    moved = ChannelUsageFactory(persona=dan, channel=fold, share=7)
    obs(kept, 10)
    obs(folded, 5)
    obs(moved, 7)
    url = reverse("channels:merge", args=[workspace.slug, fold.pk])
    preview = marketer_client.get(url, {"target": keep.pk}).content.decode()
    assert "Moves to LinkedIn: Dan." in preview
    assert "Olivia uses both: one usage remains with the shares added (10 + 5)" in preview
    assert Channel.objects.filter(pk=fold.pk).exists()  # a preview changes nothing

    response = marketer_client.post(url, {"target": keep.pk, "confirm": "yes"})
    assert response.status_code == 303
    assert not Channel.objects.filter(pk=fold.pk).exists()
    kept.refresh_from_db()
    assert kept.share == Decimal("15") and kept.stage == "core"
    moved.refresh_from_db()
    assert moved.channel == keep and moved.share == 7
    assert ChannelUsage.objects.filter(persona=olivia).count() == 1
    # Three original observations plus one recording the merge; none lost.
    assert UsageObservation.objects.filter(usage=kept).count() == 3
    assert UsageObservation.objects.filter(usage=moved).count() == 1
    assert UsageObservation.objects.filter(usage=kept, note__startswith="merged").exists()
    # The folded channel's history row records its deletion.
    assert Channel.history.filter(id=fold.pk, history_type="-").exists()


def test_merge_into_a_channel_of_another_workspace_is_a_field_error(
    marketer_client, workspace, other_workspace
):
    fold = ChannelFactory(workspace=workspace)
    foreign = ChannelFactory(workspace=other_workspace)
    response = marketer_client.post(
        reverse("channels:merge", args=[workspace.slug, fold.pk]),
        {"target": foreign.pk, "confirm": "yes"},
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert Channel.objects.filter(pk=fold.pk).exists()


def test_merge_into_itself_is_refused(marketer_client, workspace):
    fold = ChannelFactory(workspace=workspace)
    response = marketer_client.post(
        reverse("channels:merge", args=[workspace.slug, fold.pk]),
        {"target": fold.pk, "confirm": "yes"},
    )
    assert response.status_code == 422
    assert Channel.objects.filter(pk=fold.pk).exists()


def test_reviewer_may_not_merge(reviewer_client, workspace):
    a, b = ChannelFactory(workspace=workspace), ChannelFactory(workspace=workspace)
    assert (
        reviewer_client.post(
            reverse("channels:merge", args=[workspace.slug, a.pk]),
            {"target": b.pk, "confirm": "yes"},
        ).status_code
        == 403
    )
    assert Channel.objects.filter(pk=a.pk).exists()


def test_the_delete_page_counts_the_effort_recorded_on_the_channel(owner_client, workspace):
    channel = ChannelFactory(workspace=workspace, name="Fax")
    ActualFactory(plan=PlanFactory(workspace=workspace), channel=channel)
    html = owner_client.get(reverse("channels:delete", args=[workspace.slug, channel.pk]))
    assert "<strong>1</strong> record of effort spent on it" in html.content.decode()


def test_merge_moves_experiments_and_recorded_effort(marketer_client, workspace):
    source = ChannelFactory(workspace=workspace, name="LinkedIn (old)")
    target = ChannelFactory(workspace=workspace, name="LinkedIn")
    experiment = ExperimentFactory(workspace=workspace, channel=source)
    actual = ActualFactory(plan=PlanFactory(workspace=workspace), channel=source)
    marketer_client.post(
        reverse("channels:merge", args=[workspace.slug, source.pk]),
        {"target": target.pk, "confirm": "yes"},
    )
    experiment.refresh_from_db()
    actual.refresh_from_db()
    assert experiment.channel == target and actual.channel == target


def test_a_link_no_app_declared_stops_merges(marketer, workspace, monkeypatch):
    kept = [link for link in registry.CHANNEL_LINKS if link.model is not Actual]
    monkeypatch.setattr(services, "CHANNEL_LINKS", kept)
    (error,) = services.check_links()
    assert error.id == "channels.E001" and "planning.Actual.channel" in error.msg
    source = ChannelFactory(workspace=workspace, name="Old")
    target = ChannelFactory(workspace=workspace, name="New")
    actual = ActualFactory(plan=PlanFactory(workspace=workspace), channel=source)
    with pytest.raises(ImproperlyConfigured, match="would lose rows"):
        services.channel_merge(source=source, target=target, user=marketer)
    assert Channel.objects.filter(pk=source.pk).exists()
    assert Actual.objects.filter(pk=actual.pk, channel=source).exists()


def test_every_link_is_declared():
    assert services.check_links() == []

from __future__ import annotations

from django.urls import reverse

from tests.factories import ChannelFactory, ChannelUsageFactory, PersonaFactory


def test_lists_personas_with_their_share_and_trend(reviewer_client, workspace):
    podcasts = ChannelFactory(workspace=workspace, name="Podcasts")
    other = ChannelFactory(workspace=workspace, name="X")
    farah = PersonaFactory(workspace=workspace, name="Founder Farah")
    ChannelUsageFactory(persona=farah, channel=podcasts, share=3, trend="rising")
    ChannelUsageFactory(persona=farah, channel=other, share=1)
    html = reviewer_client.get(
        reverse("channels:detail", args=[workspace.slug, podcasts.pk])
    ).content.decode()
    assert "Founder Farah" in html and "75.0%" in html and "Rising" in html


def test_empty_state(reviewer_client, workspace):
    channel = ChannelFactory(workspace=workspace)
    html = reviewer_client.get(
        reverse("channels:detail", args=[workspace.slug, channel.pk])
    ).content.decode()
    assert "No persona uses this channel yet" in html


def test_query_count_is_fixed(reviewer_client, workspace, django_assert_num_queries):
    channel = ChannelFactory(workspace=workspace)
    filler = ChannelFactory(workspace=workspace)

    def add(n):
        for _ in range(n):
            persona = PersonaFactory(workspace=workspace)
            ChannelUsageFactory(persona=persona, channel=channel)
            ChannelUsageFactory(persona=persona, channel=filler)

    url = reverse("channels:detail", args=[workspace.slug, channel.pk])
    # session, user, savepoint, membership, channel, usages with personas, totals,
    # experiments on the channel, release.
    add(2)
    with django_assert_num_queries(9):
        reviewer_client.get(url)
    add(100)
    with django_assert_num_queries(9):
        response = reviewer_client.get(url)
    assert response.content.decode().count("50.0%") == 102


def test_the_page_title_is_the_channel_name(reviewer_client, workspace):
    channel = ChannelFactory(workspace=workspace, name="Podcasts")
    html = reviewer_client.get(
        reverse("channels:detail", args=[workspace.slug, channel.pk])
    ).content.decode()
    assert "<title>Podcasts · Northwind · Pacekeeper</title>" in html

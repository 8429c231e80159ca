from __future__ import annotations

from django.urls import reverse

from channels.models import Channel
from channels.services import DEFAULT_CATALOG
from tests.factories import (
    ChannelFactory,
    ChannelUsageFactory,
    PersonaFactory,
    UserFactory,
)


def list_url(workspace) -> str:
    return reverse("channels:list", args=[workspace.slug])


def test_new_workspace_starts_with_the_default_catalog(client, db):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("workspaces:new"), {"name": "Fresh Co"})
    names = set(Channel.objects.filter(workspace__slug="fresh-co").values_list("name", flat=True))
    assert len(names) >= 12
    assert {
        "LinkedIn",
        "Email newsletter",
        "Webinars",
        "Trade shows",
        "Search",
        "Blog / SEO",
        "YouTube",
        "Podcasts",
        "TikTok",
        "Instagram",
        "X",
        "Online communities",
    } <= names
    assert len(DEFAULT_CATALOG) == len(names)


def test_catalog_shows_personas_and_summed_share(reviewer_client, workspace):
    linkedin = ChannelFactory(workspace=workspace, name="LinkedIn")
    email = ChannelFactory(workspace=workspace, name="Email newsletter")
    ChannelFactory(workspace=workspace, name="TikTok")
    olivia, dan = PersonaFactory(workspace=workspace), PersonaFactory(workspace=workspace)
    ChannelUsageFactory(persona=olivia, channel=linkedin, share=3)
    ChannelUsageFactory(persona=olivia, channel=email, share=1, stage="emerging")
    ChannelUsageFactory(persona=dan, channel=linkedin, share=1)
    html = reviewer_client.get(list_url(workspace)).content.decode()
    row = html[html.index(">LinkedIn<") :]
    row = row[: row.index("</tr>")]
    # LinkedIn: 2 personas, 75% of Olivia + 100% of Dan = 175% summed, 88% average.
    assert '<td class="num">2</td>' in row and "2 core · 0 emerging" in row
    assert "175%" in row and "88%" in row
    email_row = html[html.index(">Email newsletter<") :]
    assert (
        "0 core · 1 emerging" in email_row[: email_row.index("</tr>")]
        and "25%" in email_row[: email_row.index("</tr>")]
    )
    tiktok = html[html.index(">TikTok<") :]
    assert "unused" in tiktok[: tiktok.index("</tr>")]


def test_create_a_channel(marketer_client, workspace):
    response = marketer_client.post(
        reverse("channels:create", args=[workspace.slug]),
        {"name": "Substack", "category": "content"},
    )
    assert response.status_code == 303
    assert Channel.objects.get(workspace=workspace, name="Substack").category == "content"


def test_duplicate_name_differing_only_in_case_is_refused(marketer_client, workspace):
    ChannelFactory(workspace=workspace, name="LinkedIn")
    response = marketer_client.post(
        reverse("channels:create", args=[workspace.slug]),
        {"name": "linkedin", "category": "social"},
    )
    assert response.status_code == 422
    assert "“LinkedIn” is already in the catalog." in response.content.decode()
    assert Channel.objects.filter(workspace=workspace).count() == 1


def test_same_name_in_another_workspace_is_fine(marketer_client, workspace, other_workspace):
    ChannelFactory(workspace=other_workspace, name="LinkedIn")
    response = marketer_client.post(
        reverse("channels:create", args=[workspace.slug]),
        {"name": "LinkedIn", "category": "social"},
    )
    assert response.status_code == 303


def test_bad_input_on_create(marketer_client, workspace):
    response = marketer_client.post(
        reverse("channels:create", args=[workspace.slug]),
        {"name": "x" * 81, "category": "telepathy", "description": "d" * 1001},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert (
        "at most 80 characters" in html
        and "Select a valid choice" in html
        and "at most 1000 characters" in html
    )
    assert not Channel.objects.exists()


def test_edit_a_channel_keeps_its_name_unique(marketer_client, workspace):
    ChannelFactory(workspace=workspace, name="LinkedIn")
    channel = ChannelFactory(workspace=workspace, name="Linkedin Ads")
    url = reverse("channels:edit", args=[workspace.slug, channel.pk])
    assert marketer_client.post(url, {"name": "LINKEDIN", "category": "paid"}).status_code == 422
    assert (
        marketer_client.post(url, {"name": "LinkedIn ads", "category": "paid"}).status_code == 303
    )
    channel.refresh_from_db()
    assert channel.name == "LinkedIn ads"


def test_reviewer_may_not_create_or_edit(reviewer_client, workspace):
    channel = ChannelFactory(workspace=workspace)
    assert (
        reviewer_client.post(
            reverse("channels:create", args=[workspace.slug]), {"name": "X2", "category": "social"}
        ).status_code
        == 403
    )
    assert (
        reviewer_client.post(
            reverse("channels:edit", args=[workspace.slug, channel.pk]),
            {"name": "Y", "category": "social"},
        ).status_code
        == 403
    )
    assert not Channel.objects.filter(name__in=["X2", "Y"]).exists()


def test_outsider_gets_404(outsider_client, workspace):
    assert outsider_client.get(list_url(workspace)).status_code == 404


def _grow(workspace, personas: int, channels: int) -> None:
    existing = list(Channel.objects.filter(workspace=workspace))
    new = [ChannelFactory(workspace=workspace) for _ in range(channels)]
    for _ in range(personas):
        persona = PersonaFactory(workspace=workspace)
        for channel in (existing + new)[:5]:
            ChannelUsageFactory(persona=persona, channel=channel)


def test_catalog_query_count_is_fixed(reviewer_client, workspace, django_assert_num_queries):
    # session, user, savepoint, membership, channels, usages, release.
    _grow(workspace, personas=2, channels=5)
    with django_assert_num_queries(7):
        reviewer_client.get(list_url(workspace))
    _grow(workspace, personas=60, channels=40)
    with django_assert_num_queries(7):
        response = reviewer_client.get(list_url(workspace))
    assert response.content.decode().count("<tr>") == 46  # header + 45 channels


def test_channel_of_another_workspace_is_404(reviewer_client, workspace, other_workspace):
    foreign = ChannelFactory(workspace=other_workspace)
    assert (
        reviewer_client.get(
            reverse("channels:detail", args=[workspace.slug, foreign.pk])
        ).status_code
        == 404
    )

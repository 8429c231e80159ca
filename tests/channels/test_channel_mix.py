"""A persona's channel mix: add, edit, promote, remove, observations, conflicts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from channels.models import Channel, ChannelUsage, UsageObservation
from tests.factories import ChannelFactory, ChannelUsageFactory, PersonaFactory

HX = {"HX-Request": "true"}


@pytest.fixture
def persona(workspace):
    return PersonaFactory(workspace=workspace, name="Founder Farah")


@pytest.fixture
def podcasts(workspace):
    return ChannelFactory(workspace=workspace, name="Podcasts")


def add_url(persona) -> str:
    return reverse("channels:usage_add", args=[persona.workspace.slug, persona.pk])


def usage_url(name: str, usage) -> str:
    return reverse(f"channels:{name}", args=[usage.workspace.slug, usage.pk])


ADD = {
    "share": "30",
    "stage": "core",
    "trend": "steady",
    "evidence": "interviews",
    "last_verified": "2026-11-01",
}


def test_add_from_the_catalog_in_place(marketer_client, marketer, persona, podcasts):
    response = marketer_client.post(add_url(persona), {**ADD, "channel": podcasts.pk}, headers=HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card section mix" id="section-mix"')
    assert "Podcasts" in html and "100.0%" in html
    usage = ChannelUsage.objects.get(persona=persona)
    assert usage.workspace == persona.workspace and usage.created_by == marketer
    observation = UsageObservation.objects.get(usage=usage)
    assert (
        observation.share_before is None
        and observation.share == 30
        and observation.recorded_by == marketer
    )


def test_add_without_javascript_redirects_to_the_persona(marketer_client, persona, podcasts):
    response = marketer_client.post(add_url(persona), {**ADD, "channel": podcasts.pk})
    assert response.status_code == 303
    assert response["Location"] == f"{persona.get_absolute_url()}#section-mix"


def test_add_a_new_channel_inline(marketer_client, persona, workspace):
    marketer_client.post(
        add_url(persona),
        {**ADD, "new_channel": "Substack", "new_channel_category": "content"},
        headers=HX,
    )
    channel = Channel.objects.get(workspace=workspace, name="Substack")
    assert channel.category == "content"
    assert ChannelUsage.objects.filter(persona=persona, channel=channel).exists()


def test_new_channel_named_like_an_existing_one_reuses_it(marketer_client, persona, podcasts):
    marketer_client.post(add_url(persona), {**ADD, "new_channel": "PODCASTS"}, headers=HX)
    assert Channel.objects.filter(name__iexact="podcasts").count() == 1
    assert ChannelUsage.objects.filter(persona=persona, channel=podcasts).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"share": "-1"}, "greater than or equal to 0"),
        ({"share": "lots"}, "Enter a number"),
        ({"share": ""}, "This field is required"),
        ({"stage": "future"}, "Select a valid choice"),
        ({"notes": "n" * 1001}, "at most 1000 characters"),
    ],
)
def test_bad_input_is_a_field_error_and_nothing_saved(
    marketer_client, persona, podcasts, data, message
):
    response = marketer_client.post(
        add_url(persona), {**ADD, "channel": podcasts.pk, **data}, headers=HX
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ChannelUsage.objects.exists() and not UsageObservation.objects.exists()


def test_the_same_channel_twice_for_a_persona_is_refused(marketer_client, persona, podcasts):
    ChannelUsageFactory(persona=persona, channel=podcasts)
    response = marketer_client.post(add_url(persona), {**ADD, "channel": podcasts.pk}, headers=HX)
    assert response.status_code == 422  # already in the mix: not offered, not accepted
    assert "Select a valid choice" in response.content.decode()
    response = marketer_client.post(
        add_url(persona), {**ADD, "new_channel": "podcasts"}, headers=HX
    )
    assert response.status_code == 422
    assert "Podcasts is already in this persona" in response.content.decode()
    assert ChannelUsage.objects.count() == 1


def test_a_channel_id_from_another_workspace_is_a_field_error(
    marketer_client, persona, other_workspace
):
    foreign = ChannelFactory(workspace=other_workspace, name="Secret channel")
    response = marketer_client.post(add_url(persona), {**ADD, "channel": foreign.pk}, headers=HX)
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not ChannelUsage.objects.exists()


def test_bad_input_without_javascript_shows_a_form_page(marketer_client, persona, podcasts):
    response = marketer_client.post(
        add_url(persona), {**ADD, "channel": podcasts.pk, "share": "-5"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Add a channel to Founder Farah" in html and 'value="-5"' in html


def test_shares_are_shown_normalised(reviewer_client, persona, podcasts, workspace):
    ChannelUsageFactory(persona=persona, channel=podcasts, share=3)
    ChannelUsageFactory(
        persona=persona,
        channel=ChannelFactory(workspace=workspace, name="X"),
        share=1,
        stage="emerging",
    )
    html = reviewer_client.get(persona.get_absolute_url()).content.decode()
    assert "75.0%" in html and "25.0%" in html
    assert "Core — where they are: <strong>75%" in html
    assert "Emerging — where they are going: <strong>25%" in html


def test_all_zero_shares_show_a_note_not_an_error(reviewer_client, persona, podcasts):
    ChannelUsageFactory(persona=persona, channel=podcasts, share=0)
    response = reviewer_client.get(persona.get_absolute_url())
    assert response.status_code == 200
    assert "Every share is 0" in response.content.decode()


def test_quick_share_update_recomputes_the_mix_and_records_an_observation(
    marketer_client, persona, podcasts, workspace
):
    a = ChannelUsageFactory(persona=persona, channel=podcasts, share=1)
    ChannelUsageFactory(
        persona=persona, channel=ChannelFactory(workspace=workspace, name="X"), share=1
    )
    response = marketer_client.post(
        usage_url("usage_share", a), {"share": "3", "version": a.version}, headers=HX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "75.0%" in html and "25.0%" in html
    observation = UsageObservation.objects.get(usage=a)
    assert (observation.share_before, observation.share) == (Decimal("1.00"), Decimal("3.00"))


def test_a_save_that_changes_nothing_writes_no_observation(marketer_client, persona, podcasts):
    usage = ChannelUsageFactory(persona=persona, channel=podcasts, share=5)
    marketer_client.post(
        usage_url("usage_share", usage), {"share": "5.00", "version": usage.version}, headers=HX
    )
    data = {
        "share": "5",
        "stage": "core",
        "trend": "steady",
        "evidence": "survey",
        "last_verified": usage.last_verified.isoformat(),
        "notes": "",
        "version": usage.version,
    }
    marketer_client.post(usage_url("usage_edit", usage), data, headers=HX)
    assert not UsageObservation.objects.exists()
    usage.refresh_from_db()
    assert usage.version == 1


def test_editing_notes_only_writes_no_observation(marketer_client, persona, podcasts):
    usage = ChannelUsageFactory(persona=persona, channel=podcasts, share=5)
    data = {
        "share": "5",
        "stage": "core",
        "trend": "steady",
        "evidence": "survey",
        "last_verified": usage.last_verified.isoformat(),
        "notes": "Checked with sales",
        "version": 1,
    }
    marketer_client.post(usage_url("usage_edit", usage), data, headers=HX)
    usage.refresh_from_db()
    assert usage.notes == "Checked with sales" and usage.version == 2
    assert not UsageObservation.objects.exists()


def test_row_edit_changes_trend_and_records_it(marketer_client, persona, podcasts):
    usage = ChannelUsageFactory(persona=persona, channel=podcasts, share=5)
    form = marketer_client.get(usage_url("usage_edit", usage), headers=HX).content.decode()
    assert form.lstrip().startswith(f'<tr id="usage-{usage.pk}" class="row-editing">')
    data = {
        "share": "5",
        "stage": "core",
        "trend": "declining",
        "evidence": "analytics",
        "last_verified": "2026-11-20",
        "notes": "",
        "version": 1,
    }
    response = marketer_client.post(usage_url("usage_edit", usage), data, headers=HX)
    assert response.status_code == 200 and response["HX-Retarget"] == "#section-mix"
    observation = UsageObservation.objects.get(usage=usage)
    assert (observation.trend_before, observation.trend) == ("steady", "declining")


def test_promote_and_demote(marketer_client, persona, podcasts):
    usage = ChannelUsageFactory(persona=persona, channel=podcasts, stage="emerging")
    response = marketer_client.post(
        usage_url("usage_stage", usage), {"stage": "core", "version": 1}, headers=HX
    )
    assert 'Core — where they are <span class="muted">· 1' in response.content.decode()
    usage.refresh_from_db()
    assert usage.stage == "core"
    marketer_client.post(usage_url("usage_stage", usage), {"stage": "emerging", "version": 2})
    usage.refresh_from_db()
    assert usage.stage == "emerging"
    assert [(o.stage_before, o.stage) for o in UsageObservation.objects.filter(usage=usage)] == [
        ("emerging", "core"),
        ("core", "emerging"),
    ]


def test_an_owner_deletes_a_channel_from_the_mix_after_a_confirmation(
    owner_client, marketer_client, persona, podcasts
):
    usage = ChannelUsageFactory(persona=persona, channel=podcasts)
    assert marketer_client.post(usage_url("usage_remove", usage)).status_code == 403
    page = owner_client.get(usage_url("usage_remove", usage)).content.decode()
    assert (
        "Delete Podcasts from Founder Farah's mix for good?" in page
        and "<strong>0</strong> dated observations" in page
    )
    response = owner_client.post(usage_url("usage_remove", usage), headers=HX)
    assert "No channels recorded yet" in response.content.decode()
    assert not ChannelUsage.objects.exists()
    assert Channel.objects.filter(pk=podcasts.pk).exists()


def test_stale_version_on_a_usage_row_is_refused(workspace, marketer, owner, persona, podcasts):
    usage = ChannelUsageFactory(persona=persona, channel=podcasts, share=10)
    bob, alice = Client(), Client()
    bob.force_login(marketer)
    alice.force_login(owner)
    assert (
        alice.post(
            usage_url("usage_share", usage), {"share": "20", "version": 1}, headers=HX
        ).status_code
        == 200
    )
    response = bob.post(usage_url("usage_share", usage), {"share": "30", "version": 1}, headers=HX)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Not saved: Alice Owner changed Podcasts" in html and "share 20" in html
    usage.refresh_from_db()
    assert usage.share == 20
    data = {
        "share": "35",
        "stage": "core",
        "trend": "rising",
        "evidence": "survey",
        "last_verified": "2026-11-20",
        "notes": "",
        "version": 1,
    }
    response = bob.post(usage_url("usage_edit", usage), data, headers=HX)
    assert response.status_code == 409
    assert "Not saved: Alice Owner changed this channel" in response.content.decode()
    usage.refresh_from_db()
    assert usage.share == 20 and usage.trend == "steady"


def test_quick_edit_with_a_bad_share_shows_the_error_beside_the_row(
    marketer_client, persona, podcasts
):
    usage = ChannelUsageFactory(persona=persona, channel=podcasts, share=10)
    response = marketer_client.post(
        usage_url("usage_share", usage), {"share": "-3", "version": 1}, headers=HX
    )
    assert response.status_code == 422
    html = response.content.decode()
    row = html[html.index(f'id="usage-{usage.pk}"') :]
    assert "greater than or equal to 0" in row[: row.index("</tr>")]
    assert 'value="-3"' in row[: row.index("</tr>")]  # the input is kept
    usage.refresh_from_db()
    assert usage.share == 10


def test_reviewer_may_not_change_the_mix(reviewer_client, persona, podcasts):
    usage = ChannelUsageFactory(persona=persona, channel=podcasts, share=10)
    assert reviewer_client.post(add_url(persona), {**ADD, "new_channel": "Y"}).status_code == 403
    assert (
        reviewer_client.post(
            usage_url("usage_share", usage), {"share": "1", "version": 1}
        ).status_code
        == 403
    )
    assert (
        reviewer_client.post(
            usage_url("usage_stage", usage), {"stage": "emerging", "version": 1}
        ).status_code
        == 403
    )
    assert reviewer_client.post(usage_url("usage_remove", usage)).status_code == 403
    usage.refresh_from_db()
    assert usage.share == 10 and usage.stage == "core"
    html = reviewer_client.get(persona.get_absolute_url()).content.decode()
    assert 'class="share-input"' not in html and "Add a channel" not in html


def test_outsider_gets_404(outsider_client, persona, podcasts):
    usage = ChannelUsageFactory(persona=persona, channel=podcasts)
    assert outsider_client.post(usage_url("usage_remove", usage)).status_code == 404
    assert (
        outsider_client.post(add_url(persona), {**ADD, "channel": podcasts.pk}).status_code == 404
    )
    assert ChannelUsage.objects.filter(pk=usage.pk).exists()


def test_sparkline_shows_share_over_time_with_figures(reviewer_client, persona, podcasts):
    usage = ChannelUsageFactory(persona=persona, channel=podcasts, share=25)
    for day, share in [("2026-06-01", 5), ("2026-08-01", 10), ("2026-11-01", 25)]:
        UsageObservation.objects.create(
            workspace=usage.workspace,
            usage=usage,
            observed_on=day,
            share=share,
            stage="core",
            trend="rising",
        )
    html = reviewer_client.get(persona.get_absolute_url()).content.decode()
    assert '<svg class="sparkline sparkline-up"' in html
    assert "<li>1 Jun 2026: 5</li>" in html and "<li>1 Nov 2026: 25</li>" in html


def test_persona_page_query_count_is_fixed(
    reviewer_client, persona, workspace, django_assert_num_queries
):
    def grow(n):
        for _ in range(n):
            usage = ChannelUsageFactory(
                persona=persona, channel=ChannelFactory(workspace=workspace)
            )
            UsageObservation.objects.create(
                workspace=workspace, usage=usage, share=1, stage="core", trend="steady"
            )
            UsageObservation.objects.create(
                workspace=workspace, usage=usage, share=2, stage="core", trend="rising"
            )

    # session, user, savepoint, membership, persona, notes, usages with channels,
    # observations, experiments targeting the persona, release (a
    # reviewer gets no add form, so no catalog query).
    grow(2)
    with django_assert_num_queries(10):
        reviewer_client.get(persona.get_absolute_url())
    grow(60)
    with django_assert_num_queries(10):
        response = reviewer_client.get(persona.get_absolute_url())
    assert response.content.decode().count('<svg class="sparkline') == 62


def test_persona_page_query_count_for_an_editor(
    marketer_client, persona, workspace, django_assert_num_queries
):
    def grow(n):
        for _ in range(n):
            ChannelUsageFactory(persona=persona, channel=ChannelFactory(workspace=workspace))
            ChannelFactory(workspace=workspace)

    # As for a reviewer, plus the catalog channels offered by the add form.
    grow(2)
    with django_assert_num_queries(11):
        marketer_client.get(persona.get_absolute_url())
    grow(50)
    with django_assert_num_queries(11):
        marketer_client.get(persona.get_absolute_url())

"""Several channels added to an existing persona in one form, from her page.

All rows are saved or none; each error stands beside its row, the rows keep
what was typed; "Another row" shows the rows again with one more, saving nothing.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from channels.models import Channel, ChannelUsage, UsageObservation
from tests.factories import ChannelFactory, ChannelUsageFactory, PersonaFactory

HX = {"HX-Request": "true"}


@pytest.fixture
def persona(workspace):
    return PersonaFactory(workspace=workspace, name="Founder Farah")


@pytest.fixture
def catalog(workspace):
    return {
        name: ChannelFactory(workspace=workspace, name=name)
        for name in ["LinkedIn", "Podcasts", "Trade shows"]
    }


def add_url(persona) -> str:
    return reverse("channels:usage_add", args=[persona.workspace.slug, persona.pk])


def rows(*filled: dict, total: int = 3) -> dict:
    """The posted rows: the filled ones first, the rest left empty."""
    data = {
        "channels-TOTAL_FORMS": str(total),
        "channels-INITIAL_FORMS": "0",
        "channels-MIN_NUM_FORMS": "0",
        "channels-MAX_NUM_FORMS": "10",
    }
    for index in range(total):
        row = filled[index] if index < len(filled) else {}
        data |= {
            f"channels-{index}-channel": row.get("channel", ""),
            f"channels-{index}-new_channel": row.get("new_channel", ""),
            f"channels-{index}-share": row.get("share", ""),
            f"channels-{index}-stage": row.get("stage", "core"),
        }
    return data


def field_group(html: str, name: str) -> str:
    """The field's group as rendered: its label, input and any errors."""
    match = re.search(
        rf'<div[^>]*>\s*<label for="id_channels-{name}".*?</div>', html, flags=re.DOTALL
    )
    assert match, f"no field {name}"
    return match.group(0)


def mix_of(persona) -> dict[str, tuple[Decimal, str]]:
    return {
        u.channel.name: (u.share, u.stage)
        for u in ChannelUsage.objects.filter(persona=persona).select_related("channel")
    }


def test_the_persona_page_offers_three_rows_and_another(marketer_client, persona, catalog):
    html = marketer_client.get(persona.get_absolute_url()).content.decode()
    for row in (1, 2, 3):
        assert f">Channel ({row})</label>" in html and f">Share ({row})</label>" in html
    assert ">Channel (4)</label>" not in html
    assert 'name="more"' in html and ">Another row</button>" in html


def test_three_channels_in_one_submit(marketer_client, marketer, persona, catalog):
    response = marketer_client.post(
        add_url(persona),
        rows(
            {"channel": catalog["LinkedIn"].pk, "share": "5"},
            {"channel": catalog["Trade shows"].pk, "share": "3"},
            {"new_channel": "TikTok", "share": "2", "stage": "emerging"},
        ),
        headers=HX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card section mix" id="section-mix"')
    assert "LinkedIn, Trade shows and TikTok are in Founder Farah&#x27;s mix." in html
    assert mix_of(persona) == {
        "LinkedIn": (Decimal("5"), "core"),
        "Trade shows": (Decimal("3"), "core"),
        "TikTok": (Decimal("2"), "emerging"),
    }
    assert UsageObservation.objects.filter(usage__persona=persona).count() == 3
    # The form stays open for more, its rows empty again; the added channels
    # are no longer offered.
    assert '<details class="add-channel" id="add-channel" open>' in html
    assert ">Add another channel</summary>" in html
    picker = field_group(html, "0-channel")
    assert "Podcasts" in picker and "LinkedIn" not in picker


def test_without_javascript_the_rows_save_and_return_to_the_persona(
    marketer_client, persona, catalog
):
    response = marketer_client.post(
        add_url(persona),
        rows({"channel": catalog["Podcasts"].pk, "share": "4"}, {"new_channel": "Substack"}),
    )
    assert response.status_code == 303
    assert response["Location"] == f"{persona.get_absolute_url()}#section-mix"
    assert set(mix_of(persona)) == {"Podcasts", "Substack"}
    page = marketer_client.get(response["Location"]).content.decode()
    assert "Podcasts and Substack are in Founder Farah&#x27;s mix." in page


def test_an_error_stands_beside_its_row_and_nothing_is_saved(marketer_client, persona, catalog):
    response = marketer_client.post(
        add_url(persona),
        rows(
            {"channel": catalog["LinkedIn"].pk, "share": "5"},
            {"channel": catalog["Podcasts"].pk, "share": "-2"},
            {"new_channel": "Substack", "share": "1"},
        ),
        headers=HX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "greater than or equal to 0" in field_group(html, "1-share")
    assert "greater than or equal to 0" not in field_group(html, "0-share")
    assert "error" not in field_group(html, "2-new_channel")
    # What was typed is kept in every row.
    assert 'value="5"' in field_group(html, "0-share")
    assert 'value="-2"' in field_group(html, "1-share")
    assert 'value="Substack"' in field_group(html, "2-new_channel")
    assert re.search(
        rf'<option value="{catalog["LinkedIn"].pk}" selected>', field_group(html, "0-channel")
    )
    # The row in error takes focus.
    assert "autofocus" in field_group(html, "1-share")
    assert ChannelUsage.objects.count() == 0 and not Channel.objects.filter(name="Substack")


def test_without_javascript_errors_show_on_the_persona_page(marketer_client, persona, catalog):
    response = marketer_client.post(
        add_url(persona), rows({"share": "3"}, {"new_channel": "x" * 81})
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "<h1" in html and "Founder Farah" in html  # the whole page, not a fragment
    assert "Which channel is this share for?" in field_group(html, "0-channel")
    assert "at most 80 characters" in field_group(html, "1-new_channel")
    assert ChannelUsage.objects.count() == 0


@pytest.mark.parametrize(
    ("filled", "row", "message"),
    [
        ([], "0-channel", "Pick a channel, or name a new one."),
        ([{"new_channel": "linkedin"}], "0-new_channel", "LinkedIn is already in this persona"),
        ([{"channel": "LinkedIn"}], "0-channel", "Select a valid choice"),
        (
            [{"new_channel": "Substack"}, {"new_channel": "substack"}],
            "1-channel",
            "already in another row",
        ),
        (
            [{"channel": "Podcasts", "new_channel": "Substack"}],
            "0-new_channel",
            "not both",
        ),
    ],
)
def test_refused_rows(marketer_client, persona, catalog, filled, row, message):
    ChannelUsageFactory(persona=persona, channel=catalog["LinkedIn"])
    for data in filled:
        if "channel" in data:
            data["channel"] = catalog[data["channel"]].pk
    response = marketer_client.post(add_url(persona), rows(*filled), headers=HX)
    assert response.status_code == 422
    assert message in field_group(response.content.decode(), row)
    assert set(mix_of(persona)) == {"LinkedIn"}


def test_another_row_keeps_what_was_typed_and_saves_nothing(marketer_client, persona, catalog):
    typed = rows({"channel": catalog["Podcasts"].pk, "share": "2"}, {"new_channel": "Substack"})
    response = marketer_client.post(add_url(persona), typed | {"more": "1"}, headers=HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert ">Channel (4)</label>" in html and ">Channel (5)</label>" not in html
    assert 'value="Substack"' in field_group(html, "1-new_channel")
    assert 'value="2"' in field_group(html, "0-share")
    assert "autofocus" in field_group(html, "3-channel")
    assert "error" not in html.split('id="add-channel"')[1]
    assert ChannelUsage.objects.count() == 0
    # The four rows then save together.
    data = rows(
        {"channel": catalog["Podcasts"].pk, "share": "2"},
        {"new_channel": "Substack"},
        {},
        {"channel": catalog["Trade shows"].pk, "share": "1"},
        total=4,
    )
    assert marketer_client.post(add_url(persona), data, headers=HX).status_code == 200
    assert set(mix_of(persona)) == {"Podcasts", "Substack", "Trade shows"}


def test_at_most_ten_rows(marketer_client, persona, catalog):
    data = rows(*[{"new_channel": f"Channel {n}"} for n in range(10)], total=10)
    html = marketer_client.post(add_url(persona), data | {"more": "1"}, headers=HX)
    assert ">Channel (11)</label>" not in html.content.decode()
    assert ">Another row</button>" not in html.content.decode()
    response = marketer_client.post(
        add_url(persona), rows(*[{"new_channel": f"C{n}"} for n in range(11)], total=11)
    )
    assert response.status_code == 422
    assert ChannelUsage.objects.count() == 0


def test_a_reviewer_cannot_add_rows(reviewer_client, persona, catalog):
    response = reviewer_client.post(
        add_url(persona), rows({"channel": catalog["Podcasts"].pk}), headers=HX
    )
    assert response.status_code == 403
    assert ChannelUsage.objects.count() == 0

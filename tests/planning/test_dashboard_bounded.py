"""The dashboard of a large workspace renders summaries and the top rows of each
table, each with a way to the rest."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from planning.dashboard_page import CHANNELS_SHOWN, PERSONAS_SHOWN, RUNNING_SHOWN
from planning.scale import build_scale_workspace

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(client):
    built = build_scale_workspace(30, slug="large")
    client.force_login(built.owner)
    return built


def _section(html: str, heading: str) -> str:
    return html.split(f'id="{heading}"')[1].split("</section>")[0]


def test_the_personas_with_the_most_effort_come_first_and_the_rest_one_link_away(client, large):
    url = reverse("planning:dashboard", args=[large.workspace.slug])
    html = client.get(url, {"plan": large.approved.pk}).content.decode()
    personas = _section(html, "h-personas")
    rows = re.findall(r"<th scope=\"row\"><a [^>]*>(Persona \d+)</a>", personas)
    assert len(rows) == PERSONAS_SHOWN
    body = personas.split("<tbody>")[1]
    rows_html = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    amounts = [
        float(re.search(r'<td class="num">([\d,]+\.\d\d)</td>', row).group(1).replace(",", ""))
        for row in rows_html
    ]
    assert amounts == sorted(amounts, reverse=True)
    link = f"?plan={large.approved.pk}&amp;personas=all#h-personas"
    assert f'href="{link}">Show all 30 personas' in personas
    every = client.get(url, {"plan": large.approved.pk, "personas": "all"}).content.decode()
    assert (
        len(re.findall(r'<th scope="row"><a [^>]*>Persona \d+</a>', _section(every, "h-personas")))
        == 30
    )


def test_channels_show_their_top_rows_and_the_total_of_all(client, large):
    url = reverse("planning:dashboard", args=[large.workspace.slug])
    html = client.get(url, {"plan": large.approved.pk}).content.decode()
    channels = _section(html, "h-channels")
    assert (
        len(re.findall(r'<th scope="row"><a href="[^"]*/channels/\d+/">', channels))
        == CHANNELS_SHOWN
    )
    assert "channels=all#h-channels" in channels and "Show all" in channels
    assert '<tfoot><tr><th scope="row">Total</th>' in channels  # of every channel
    every = client.get(url, {"plan": large.approved.pk, "channels": "all"}).content.decode()
    assert "Show all" not in _section(every, "h-channels")


def test_running_experiments_show_the_first_and_link_to_the_list(client, large):
    html = client.get(reverse("planning:dashboard", args=[large.workspace.slug])).content.decode()
    pipeline = _section(html, "h-pipeline")
    running = pipeline.split("Progress to target")[1]
    assert running.count('<th scope="row">') == RUNNING_SHOWN
    table = reverse("experiments:table", args=[large.workspace.slug])
    assert f'href="{table}?status=running">All 12 running experiments' in pipeline

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from experiments.models import Experiment, ExperimentResult, ExperimentTarget
from experiments.views import BOARD_COLUMN_SIZE, TABLE_PAGE_SIZE
from tests.factories import (
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    ExperimentResultFactory,
    PersonaFactory,
)

HX = {"HX-Request": "true"}


def board_url(workspace, **params) -> str:
    from urllib.parse import urlencode

    return reverse("experiments:board", args=[workspace.slug]) + (
        f"?{urlencode(params)}" if params else ""
    )


def test_board_groups_cards_by_status_with_progress(reviewer_client, workspace):
    farah = PersonaFactory(workspace=workspace, name="Founder Farah")
    running = ExperimentFactory(
        workspace=workspace,
        title="TikTok explainers",
        status="running",
        target=250,
        personas=[farah],
    )
    ExperimentResultFactory(experiment=running, value=232)
    ExperimentFactory(workspace=workspace, title="Pilot", status="planned")
    ExperimentFactory(workspace=workspace, title="Done", status="concluded", outcome="adopt")
    html = reviewer_client.get(board_url(workspace)).content.decode()
    column = html[html.index('id="col-running"') : html.index('id="col-concluded"')]
    assert "TikTok explainers" in column and "Founder Farah" in column
    assert "<strong>232</strong> of 250 (93%)" in column
    assert "Pilot" in html[html.index('id="col-planned"') : html.index('id="col-running"')]
    assert "Adopt" in html[html.index('id="col-concluded"') :]
    assert "Conclude…" not in html and "→" not in html  # a reviewer gets no moves


def test_target_met_badge(reviewer_client, workspace):
    experiment = ExperimentFactory(
        workspace=workspace, status="running", baseline=180, target=120, higher_is_better=False
    )
    ExperimentResultFactory(experiment=experiment, value=118)
    html = reviewer_client.get(board_url(workspace)).content.decode()
    assert "Target met — ready to graduate" in html


def test_marketer_sees_only_the_allowed_moves(marketer_client, workspace):
    ExperimentFactory(workspace=workspace, title="Idea one", status="idea")
    ExperimentFactory(workspace=workspace, title="Running one", status="running")
    html = marketer_client.get(board_url(workspace)).content.decode()
    idea = visible(html[html.index("Idea one") : html.index("</article>", html.index("Idea one"))])
    assert "Planned →" in idea and "Running" not in idea and "Conclude" not in idea
    start = html.index("Running one")
    running = visible(html[start : html.index("</article>", start)])
    assert "← Planned" in running and "Conclude…" in running


def visible(html: str) -> str:
    """The text a sighted user reads: tags and visually hidden words left out."""
    html = re.sub(r'<span class="visually-hidden">.*?</span>', "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_move_in_place_returns_the_board(marketer_client, workspace):
    experiment = ExperimentFactory(workspace=workspace, title="Idea one", status="idea")
    url = reverse("experiments:move", args=[workspace.slug, experiment.pk])
    response = marketer_client.post(url, {"status": "planned", "version": 1}, headers=HX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="board"')
    assert "Idea one" in html[html.index('id="col-planned"') : html.index('id="col-running"')]


def test_filters_by_persona_channel_and_kind(reviewer_client, workspace):
    farah = PersonaFactory(workspace=workspace, name="Farah")
    tiktok = ChannelFactory(workspace=workspace, name="TikTok")
    ExperimentFactory(workspace=workspace, title="For Farah", personas=[farah])
    ExperimentFactory(workspace=workspace, title="On TikTok", kind="channel", channel=tiktok)
    ExperimentFactory(workspace=workspace, title="A format", kind="format")
    assert (
        "For Farah" in reviewer_client.get(board_url(workspace, persona=farah.pk)).content.decode()
    )
    html = reviewer_client.get(board_url(workspace, persona=farah.pk)).content.decode()
    assert "On TikTok" not in html and "A format" not in html
    html = reviewer_client.get(board_url(workspace, channel=tiktok.pk)).content.decode()
    assert "On TikTok" in html and "For Farah" not in html
    html = reviewer_client.get(board_url(workspace, kind="format")).content.decode()
    assert "A format" in html and "On TikTok" not in html


def test_sort_by_ice(reviewer_client, workspace):
    ExperimentFactory(workspace=workspace, title="Low", impact=2, confidence=2, ease=2)
    ExperimentFactory(workspace=workspace, title="High", impact=9, confidence=9, ease=9)
    html = reviewer_client.get(
        reverse("experiments:table", args=[workspace.slug]) + "?sort=-ice"
    ).content.decode()
    assert html.index("High") < html.index("Low")
    html = reviewer_client.get(
        reverse("experiments:table", args=[workspace.slug]) + "?sort=title"
    ).content.decode()
    assert html.index(">High<") < html.index(">Low<")


def test_signals_show_on_the_board(reviewer_client, workspace):
    farah = PersonaFactory(workspace=workspace, name="Farah")
    ChannelUsageFactory(
        persona=farah, channel=ChannelFactory(workspace=workspace, name="Podcasts"), share=75
    )
    ChannelUsageFactory(
        persona=farah,
        channel=ChannelFactory(workspace=workspace, name="TikTok"),
        share=25,
        stage="emerging",
        trend="rising",
    )
    ExperimentFactory(workspace=workspace)
    html = reviewer_client.get(board_url(workspace)).content.decode()
    assert "TikTok</a> is emerging but already holds <strong>25%</strong> of Farah" in html
    assert "TikTok is rising for" in html


def test_empty_board_invites_a_first_experiment(marketer_client, workspace):
    html = marketer_client.get(board_url(workspace)).content.decode()
    assert (
        "No experiments yet" in html
        and reverse("experiments:create", args=[workspace.slug]) in html
    )


def _bulk(workspace, count: int) -> None:
    personas = [PersonaFactory(workspace=workspace) for _ in range(3)]
    channel = ChannelFactory(workspace=workspace)
    statuses = ["idea", "planned", "running", "concluded"]
    experiments = Experiment.objects.bulk_create(
        Experiment(
            workspace=workspace,
            title=f"Bulk {i}",
            kind="channel",
            channel=channel,
            status=statuses[i % 4],
            outcome="adopt" if i % 4 == 3 else "",
            target=Decimal(100),
        )
        for i in range(count)
    )
    ExperimentTarget.objects.bulk_create(
        ExperimentTarget(workspace=workspace, experiment=e, persona=p)
        for e in experiments
        for p in personas[:2]
    )
    ExperimentResult.objects.bulk_create(
        ExperimentResult(
            workspace=workspace,
            experiment=e,
            date=date(2026, 1, 1) + timedelta(days=d),
            value=Decimal(d * 10),
        )
        for e in experiments
        for d in range(2)
    )
    for persona in personas:
        ChannelUsageFactory(persona=persona, trend="rising")


@pytest.mark.parametrize("page", ["experiments:board", "experiments:table"])
def test_query_count_is_fixed_at_5_and_500(
    reviewer_client, workspace, django_assert_num_queries, page
):
    # session, user, savepoint, membership, (list only: how many match) the
    # experiments with latest result and channel and owner (the board's the
    # first of each status, with each status's count), their targets with
    # personas, the two filter menus, (board only: usages for the signals, open
    # experiments' targets), release.
    expected = 11 if page == "experiments:board" else 10
    shown = 4 * BOARD_COLUMN_SIZE if page == "experiments:board" else TABLE_PAGE_SIZE
    url = reverse(page, args=[workspace.slug])
    _bulk(workspace, 5)
    with django_assert_num_queries(expected):
        response = reviewer_client.get(url)
    assert response.content.decode().count("Bulk ") == 5
    _bulk(workspace, 495)
    with django_assert_num_queries(expected):
        response = reviewer_client.get(url)
    assert response.content.decode().count("Bulk ") == shown
    if page == "experiments:board":
        # Read again: the board's content comes from the cache (session, user,
        # savepoint, membership, release).
        with django_assert_num_queries(5):
            again = reviewer_client.get(url)
        assert again.content.decode().count("Bulk ") == shown

"""The board and the list on a large workspace: a board column shows its first
cards in the board's order with "Show all" in the list view, concluded
experiments that ended over a quarter ago fold into one link, and the list view
comes a page at a time, its filters kept."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from experiments.models import Experiment
from experiments.views import BOARD_COLUMN_SIZE, BOARD_SIGNALS, TABLE_PAGE_SIZE
from planning.scale import build_scale_workspace

HX = {"HX-Request": "true"}


@pytest.fixture
def scale(db):
    # 60 personas, 100 experiments: 25 of each status.
    return build_scale_workspace(60, slug="large")


@pytest.fixture
def client(scale) -> Client:
    client = Client()
    client.force_login(scale.owner)
    return client


def url(name, workspace, **params) -> str:
    return reverse(name, args=[workspace.slug]) + (f"?{urlencode(params)}" if params else "")


def column(html: str, status: str) -> str:
    start = html.index(f'id="col-{status}"')
    return html[start : html.index("</section>", start)]


def titles(html: str) -> list[str]:
    return re.findall(r'<a href="[^"]+">(Experiment \d+)</a>', html)


def href(html: str, text: str) -> str:
    return re.search(rf'<a href="([^"]+)">{text}', html).group(1).replace("&amp;", "&")


def experiments(scale, **filters):
    return Experiment.objects.filter(workspace=scale.workspace, **filters)


def test_each_column_shows_its_first_cards_by_ice_and_a_link_to_all(client, scale):
    top = list(experiments(scale, status="running").order_by("pk")[20:23])
    experiments(scale, pk__in=[e.pk for e in top]).update(impact=10, confidence=10, ease=10)
    html = client.get(url("experiments:board", scale.workspace)).content.decode()
    for status in ("idea", "planned", "running"):
        cards = titles(column(html, status))
        assert len(cards) == BOARD_COLUMN_SIZE
        assert '<span class="count">25</span>' in column(html, status)
        assert "Show all 25" in column(html, status)
    running = titles(column(html, "running"))
    assert running[:3] == sorted(e.title for e in top)  # the highest ICE first
    # The rest tie on ICE and follow by title: the first twelve of them.
    rest = experiments(scale, status="running").exclude(pk__in=[e.pk for e in top])
    assert running[3:] == sorted(rest.values_list("title", flat=True))[:9]


def test_show_all_opens_the_list_of_that_status_with_the_filters_kept(client, scale):
    board = client.get(url("experiments:board", scale.workspace, sort="title")).content.decode()
    link = href(column(board, "planned"), "Show all 25")
    assert urlsplit(link).path == reverse("experiments:table", args=[scale.workspace.slug])
    assert parse_qs(urlsplit(link).query) == {"sort": ["title"], "status": ["planned"]}
    for headers in ({}, HX):
        html = client.get(link, headers=headers).content.decode()
        assert ("<header" in html) is not bool(headers)
        expected = sorted(experiments(scale, status="planned").values_list("title", flat=True))
        assert titles(html) == expected
        assert "25 experiments" in html and 'class="pager"' not in html


def test_concluded_long_ago_fold_into_one_link(client, scale):
    concluded = list(experiments(scale, status="concluded").order_by("pk"))
    long_ago = timezone.now() - timedelta(days=100)
    recently = timezone.now() - timedelta(days=10)
    by_end = [e.pk for e in concluded[:8]]
    by_conclusion = [e.pk for e in concluded[8:11]]
    by_change = [e.pk for e in concluded[11:13]]
    experiments(scale, pk__in=by_end).update(end_date=long_ago.date())
    experiments(scale, pk__in=by_conclusion).update(concluded_at=long_ago)
    experiments(scale, pk__in=by_change).update(updated_at=long_ago)
    # Ended lately, though last changed long ago: still on the board.
    kept = concluded[13]
    experiments(scale, pk=kept.pk).update(end_date=recently.date(), updated_at=long_ago)
    folded = sorted(e.title for e in concluded[:13])

    html = client.get(url("experiments:board", scale.workspace)).content.decode()
    done = column(html, "concluded")
    assert '<span class="count">12</span>' in done and "Show all" not in done
    assert sorted(titles(done)) == sorted(e.title for e in concluded[13:])
    assert kept.title in titles(done)
    assert "13 older concluded experiments" in done
    older = client.get(href(done, "13 older concluded experiments")).content.decode()
    assert sorted(titles(older)) == folded
    assert "13 experiments" in older


def test_a_column_of_only_old_experiments_says_so(client, scale):
    experiments(scale, status="concluded").update(
        end_date=timezone.localdate() - timedelta(days=93)
    )
    done = column(
        client.get(url("experiments:board", scale.workspace)).content.decode(), "concluded"
    )
    assert titles(done) == [] and "Nothing concluded this quarter." in done
    assert "25 older concluded experiments" in done


def test_the_list_view_comes_a_page_at_a_time_with_its_filters(client, scale):
    html = client.get(url("experiments:table", scale.workspace, sort="title")).content.decode()
    every = sorted(experiments(scale).values_list("title", flat=True))
    assert titles(html) == every[:TABLE_PAGE_SIZE]
    assert "100 experiments" in html and "Page 1 of 2" in html
    next_link = re.search(r'rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(next_link).query) == {"sort": ["title"], "page": ["2"]}
    table = reverse("experiments:table", args=[scale.workspace.slug])
    second = client.get(table + next_link).content.decode()
    assert titles(second) == every[TABLE_PAGE_SIZE:]
    fragment = client.get(table + next_link, headers=HX).content.decode()
    assert fragment.lstrip().startswith('<div id="experiment-rows"')
    assert titles(fragment) == every[TABLE_PAGE_SIZE:] and "Page 2 of 2" in fragment


def test_board_query_count_is_the_same_small_and_large(client, scale, django_assert_num_queries):
    experiments(scale, status="concluded").update(
        end_date=timezone.localdate() - timedelta(days=93)
    )
    with django_assert_num_queries(11):
        large = client.get(url("experiments:board", scale.workspace)).content.decode()
    assert len(titles(large)) == 3 * BOARD_COLUMN_SIZE
    experiments(scale).exclude(
        pk__in=list(experiments(scale).values_list("pk", flat=True)[:5])
    ).delete()
    with django_assert_num_queries(11):
        small = client.get(url("experiments:board", scale.workspace)).content.decode()
    assert 0 < len(titles(small)) < 5


def test_the_first_signals_show_and_the_rest_on_asking(client, scale):
    html = client.get(url("experiments:board", scale.workspace, kind="channel")).content.decode()
    assert html.count('<li class="signal ') == BOARD_SIGNALS
    count = int(re.search(r"Show all (\d+) signals", html).group(1))
    assert count > BOARD_SIGNALS and f"({count - BOARD_SIGNALS} more)" in html
    link = href(html, f"Show all {count} signals")
    assert parse_qs(urlsplit(link).query) == {"kind": ["channel"], "signals": ["all"]}
    board = reverse("experiments:board", args=[scale.workspace.slug])
    everything = client.get(board + link).content.decode()
    assert everything.count('<li class="signal ') == count
    assert "Show all" not in everything.split('id="h-signals"')[1].split("</section>")[0]

"""The persona list on a large workspace: one page of cards at a time, "Load
more" adding the next page's by htmx, plain Previous/Next links without
JavaScript, and the search, filters and sort kept on every page."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from personas.models import Persona
from personas.views import PAGE_SIZE
from planning.scale import build_scale_workspace

HX = {"HX-Request": "true"}
CARD = 'class="card card-link persona-card"'


@pytest.fixture
def scale(db):
    return build_scale_workspace(60, slug="large")


@pytest.fixture
def client(scale) -> Client:
    client = Client()
    client.force_login(scale.owner)
    return client


def list_url(workspace, **params) -> str:
    url = reverse("personas:list", args=[workspace.slug])
    return f"{url}?{urlencode(params)}" if params else url


def names(html: str) -> list[str]:
    return re.findall(r"<h2>(Persona \d+)</h2>", html)


def links(html: str, rel: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(rf'rel="{rel}" href="([^"]+)"', html)]


def test_a_page_holds_at_most_the_page_size_and_counts_them_all(client, scale):
    html = client.get(list_url(scale.workspace)).content.decode()
    assert html.count(CARD) == PAGE_SIZE
    assert names(html) == [f"Persona {i:03}" for i in range(PAGE_SIZE)]
    assert "60 personas" in html and "1–24 shown" in html
    assert "Page 1 of 3" in html and "Load more personas" in html
    assert "{#" not in html and "{%" not in html  # no template text leaks into the page


def test_next_and_previous_pages_without_javascript(client, scale):
    first = client.get(list_url(scale.workspace)).content.decode()
    (next_link,) = links(first, "next")
    second = client.get(reverse("personas:list", args=[scale.workspace.slug]) + next_link)
    html = second.content.decode()
    assert names(html) == [f"Persona {i:03}" for i in range(24, 48)]
    assert "<header" in html and "Page 2 of 3" in html and "60 personas" in html
    third = client.get(list_url(scale.workspace, page=3)).content.decode()
    assert names(third) == [f"Persona {i:03}" for i in range(48, 60)]
    assert links(third, "next") == [] and "Load more personas" not in third
    assert parse_qs(urlsplit(links(third, "prev")[0]).query)["page"] == ["2"]


def test_load_more_sends_only_the_next_cards_and_the_pager(client, scale):
    response = client.get(
        list_url(scale.workspace, page=2), headers=HX | {"HX-Target": "persona-more"}
    )
    html = response.content.decode()
    assert "<header" not in html and 'id="persona-results"' not in html
    assert html.lstrip().startswith("<li>")
    assert names(html) == [f"Persona {i:03}" for i in range(24, 48)]
    assert 'id="persona-page-2"' in html  # where focus goes once the cards are in
    assert 'id="persona-more"' in html and 'data-focus-after="#persona-page-3"' in html
    assert 'id="persona-pager" data-hx-swap-oob="true"' in html and "Page 2 of 3" in html
    assert "{#" not in html
    last = client.get(
        list_url(scale.workspace, page=3), headers=HX | {"HX-Target": "persona-more"}
    ).content.decode()
    assert len(names(last)) == 12 and 'id="persona-more"' not in last


def test_search_filters_and_sort_are_kept_across_pages(client, scale):
    Persona.objects.filter(workspace=scale.workspace, name__lt="Persona 010").update(archived=True)
    params = {"q": "segment", "status": "all", "sort": "-priority"}
    html = client.get(list_url(scale.workspace, **params)).content.decode()
    assert "60 personas match" in html
    (next_link,) = links(html, "next")
    query = parse_qs(urlsplit(next_link).query)
    assert query == {"q": ["segment"], "status": ["all"], "sort": ["-priority"], "page": ["2"]}
    more = re.search(r'data-hx-get="([^"]+)"', html.split('id="persona-more"')[1]).group(1)
    assert parse_qs(urlsplit(more.replace("&amp;", "&")).query) == query
    # Page 2 of this search carries on where page 1 stopped, archived ones included.
    seen = names(html)
    html = client.get(list_url(scale.workspace, **params, page=2)).content.decode()
    seen += names(html)
    html = client.get(list_url(scale.workspace, **params, page=3)).content.decode()
    seen += names(html)
    assert len(seen) == len(set(seen)) == 60
    priorities = dict(
        Persona.objects.filter(workspace=scale.workspace).values_list("name", "priority")
    )
    assert [priorities[n] for n in seen] == sorted(priorities.values(), reverse=True)


def test_a_narrower_search_starts_again_at_one_page(client, scale):
    html = client.get(
        list_url(scale.workspace, q="Persona 05", page=2), headers=HX
    ).content.decode()
    assert html.lstrip().startswith('<div id="persona-results"')
    assert names(html) == [f"Persona {i:03}" for i in range(50, 60)]
    assert "10 personas match" in html and 'class="pager"' not in html


def test_a_page_out_of_range_shows_the_last(client, scale):
    for page in ("99", "x", "-1"):
        response = client.get(list_url(scale.workspace, page=page))
        assert response.status_code == 200
    assert names(client.get(list_url(scale.workspace, page="99")).content.decode())[0] == (
        "Persona 048"
    )


def test_query_count_is_the_same_at_two_sizes(client, scale, django_assert_num_queries):
    # session, user, savepoint, the user's memberships (the switcher's list
    # too), how many match, the page of personas, their observations and their
    # part in the approved plans (one read, for the pace badge), release.
    with django_assert_num_queries(8):
        small = client.get(list_url(scale.workspace, q="Persona 00")).content.decode()
    with django_assert_num_queries(8):
        large = client.get(list_url(scale.workspace, page=2)).content.decode()
    with django_assert_num_queries(8):
        client.get(list_url(scale.workspace, page=2), headers=HX | {"HX-Target": "persona-more"})
    assert small.count(CARD) == 10 and large.count(CARD) == PAGE_SIZE

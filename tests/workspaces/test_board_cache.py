"""The experiment board is cached under the workspace's data revision like the
dashboard, plan and persona pages: a write the board shows is on the next read,
each address (filters, sort, all signals) has its own entry, and a cached board
never reaches another workspace or role, nor carries another person's CSRF token."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from experiments import services as experiment_services
from experiments.models import Experiment
from tests.factories import ExperimentFactory, MembershipFactory, PersonaFactory, UserFactory
from tests.workspaces.test_revision import SERVICES, _page, _v
from workspaces.revision import CSRF_PLACEHOLDER

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(workspace, owner):
    """A running experiment for a persona, made before the revision is read."""
    persona = PersonaFactory(workspace=workspace, name="Operations Olivia")
    experiment = ExperimentFactory(workspace=workspace, status="running", personas=[persona])
    return {"workspace": workspace, "user": owner, "persona": persona, "experiment": experiment}


def _board(workspace, query: str = "") -> str:
    return reverse("experiments:board", args=[workspace.slug]) + query


def _main(html: str) -> str:
    """The page's main part, its CSRF tokens (masked afresh on each response) left out."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


def _column_of(html: str, title: str) -> str | None:
    """The board column a card with ``title`` shows in, or None."""
    for column in html.split('<section class="board-column board-')[1:]:
        if f">{title}</a></h3>" in column:
            return column.split('"', 1)[0]
    return None


# Writes the board shows, each with what the next read of the board must show.
BOARD_WRITES = {
    "experiment_move": lambda w, html: _column_of(html, w["experiment"].title) == "planned",
    "experiment_delete": lambda w, html: _column_of(html, w["experiment"].title) is None,
    "persona_update": lambda w, html: "Olivia Renamed" in html and "Operations Olivia" not in html,
    "experiment_create": lambda w, html: _column_of(html, "Webinar for Olivia") == "idea",
}


def _experiment_create(w) -> None:
    experiment = Experiment(
        title="Webinar for Olivia", kind="channel", metric="Sign-ups", baseline=0, target=10
    )
    experiment_services.experiment_create(
        workspace=w["workspace"], experiment=experiment, personas=[w["persona"]], user=w["user"]
    )


# The revision tests' writes, and a new experiment.
WRITES = {**SERVICES, "experiment_create": _experiment_create}


@pytest.mark.parametrize("name", sorted(BOARD_WRITES))
def test_the_board_shows_each_write_on_the_next_read(
    name, owner_client, world, workspace, django_assert_num_queries
):
    url = _board(workspace)
    before = _page(owner_client, url)
    assert _column_of(before, world["experiment"].title) == "running"
    with django_assert_num_queries(5):  # read again: from the cache
        assert _main(_page(owner_client, url)) == _main(before)
    assert not BOARD_WRITES[name](world, before)
    WRITES[name](world)
    assert BOARD_WRITES[name](world, _page(owner_client, url))


def test_a_move_on_the_board_shows_on_the_board_it_redirects_to(marketer_client, world, workspace):
    experiment = world["experiment"]
    assert _column_of(_page(marketer_client, _board(workspace)), experiment.title) == "running"
    response = marketer_client.post(
        reverse("experiments:move", args=[workspace.slug, experiment.pk]),
        {"status": "planned", "version": _v(experiment), "next": _board(workspace)},
        follow=True,
    )
    assert _column_of(response.content.decode(), experiment.title) == "planned"


def test_each_board_address_has_its_own_entry(owner_client, world, workspace):
    """Filters, sorts and the signals' show-all are each their own cached board."""
    ExperimentFactory(workspace=workspace, title="Podcast tour", kind="channel", status="idea")
    every = _page(owner_client, _board(workspace))
    channels = _page(owner_client, _board(workspace, "?kind=channel"))
    assert _column_of(every, world["experiment"].title) == "running"
    assert _column_of(channels, world["experiment"].title) is None
    assert _column_of(channels, "Podcast tour") == "idea"
    # Each read again from its own entry.
    assert _main(_page(owner_client, _board(workspace))) == _main(every)
    assert _main(_page(owner_client, _board(workspace, "?kind=channel"))) == _main(channels)
    assert "Nothing here with these filters." in channels
    assert "Nothing here with these filters." not in every


def test_the_boards_htmx_fragment_is_never_the_cached_page(owner_client, world, workspace):
    url = _board(workspace, "?kind=capability")
    assert "<html" in _page(owner_client, url)
    fragment = owner_client.get(url, headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div id="board">')
    assert "HX-Request" in fragment["Vary"]
    assert _column_of(fragment.content.decode(), world["experiment"].title) == "running"


def test_a_cached_board_never_reaches_another_workspace(
    owner_client, outsider_client, world, workspace, other_workspace
):
    ExperimentFactory(workspace=other_workspace, title="Elsewhere bet", status="running")
    for _ in range(2):  # the first read fills the cache, the second reads from it
        mine = _page(owner_client, _board(workspace))
        theirs = _page(outsider_client, _board(other_workspace))
        assert _column_of(mine, world["experiment"].title) == "running"
        assert _column_of(mine, "Elsewhere bet") is None
        assert _column_of(theirs, "Elsewhere bet") == "running"
        assert _column_of(theirs, world["experiment"].title) is None
        assert "/w/elsewhere/" not in mine and f"/w/{workspace.slug}/" not in theirs


@pytest.mark.parametrize("first", ["marketer", "reviewer"])
def test_a_cached_board_never_reaches_another_role(
    first, marketer_client, reviewer_client, world, workspace
):
    """Whoever reads first, the reviewer never gets the marketer's move buttons
    and the marketer always does."""
    clients = {"marketer": marketer_client, "reviewer": reviewer_client}
    order = [first, *(role for role in clients if role != first)]
    move = reverse("experiments:move", args=[workspace.slug, world["experiment"].pk])
    for _ in range(2):
        pages = {role: _page(clients[role], _board(workspace)) for role in order}
        assert move in pages["marketer"] and "New experiment" in pages["marketer"]
        assert move not in pages["reviewer"] and "New experiment" not in pages["reviewer"]
        assert 'name="csrfmiddlewaretoken"' in pages["marketer"].split("<main")[1]
        assert 'name="csrfmiddlewaretoken"' not in pages["reviewer"].split("<main")[1]


def test_a_cached_board_carries_each_persons_own_csrf_token(world, owner, workspace):
    """Two marketers read the same cached board; the move forms each get carry
    that person's own token, which their move is accepted with."""
    second = MembershipFactory(workspace=workspace, role="marketer", user=UserFactory())
    experiment = world["experiment"]
    move = reverse("experiments:move", args=[workspace.slug, experiment.pk])
    tokens = []
    for person, status in ((owner, "planned"), (second.user, "running")):
        client = Client(enforce_csrf_checks=True)
        client.force_login(person)
        html = _page(client, _board(workspace))
        assert CSRF_PLACEHOLDER not in html
        form = html.split(f'action="{move}"')[1].split("</form>")[0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        tokens.append(token)
        response = client.post(
            move, {"csrfmiddlewaretoken": token, "status": status, "version": _v(experiment)}
        )
        assert response.status_code == 303
        assert Experiment.objects.get(pk=experiment.pk).status == status
    assert tokens[0] != tokens[1]

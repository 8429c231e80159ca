"""The demo tells the pace story: a persona the team falls behind, one it keeps
pace with, one it runs ahead of; the dashboard's Pace card names the first and
the last, each with the figures behind it and one link to act."""

from __future__ import annotations

import io
from html import unescape

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from personas.models import Persona
from planning.pace import State
from planning.selectors import load_pace
from workspaces.models import Workspace


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--password", "x", stdout=io.StringIO())
    return Workspace.objects.get(slug="northwind")


def test_the_demo_shows_all_three_states(demo):
    personas = {p.pk: p.name for p in Persona.objects.in_workspace(demo).filter(archived=False)}
    pace = load_pace(demo, personas).pace
    states = {p.name: p.state for p in pace.personas}
    assert State.BEHIND in states.values()
    assert State.KEEPING in states.values()
    assert State.AHEAD in states.values()
    # The fast mover is the one the team falls behind.
    assert states["Founder Farah"] == State.BEHIND


def test_the_demo_dashboard_names_who_is_behind_and_who_is_ahead(demo):
    client = Client()
    client.force_login(User.objects.get(email="ravi@example.com"))
    html = unescape(client.get(reverse("planning:dashboard", args=[demo.slug])).content.decode())
    card = html[html.index('id="pace"') : html.index('id="h-personas"')]
    assert "Falling behind" in card and "Running ahead" in card
    assert "Founder Farah's audience moved" in card
    assert "of your effort for" in card and "of their attention" in card
    assert card.count('class="signal-action"') >= 2  # one link to act for each

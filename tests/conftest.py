"""The named cast every test can call on.

``owner``, ``marketer`` and ``reviewer`` belong to the ``workspace``
"Northwind"; ``outsider`` owns a workspace of their own and is not a member of
Northwind. Each ``*_client`` is a test client signed in as that person.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from tests.factories import MembershipFactory, UserFactory, WorkspaceFactory
from workspaces.roles import Role


def pytest_configure(config) -> None:
    # Fast hashing: tests sign people in thousands of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rate-limit counts never leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rate_clock(monkeypatch):
    """The rate limits' clock held still, so that no window rolls over in the
    middle of a test; ``rate_clock.advance(seconds)`` moves it, and the cache's
    clock and the API throttles' with it."""
    import time
    from types import SimpleNamespace

    import django_ratelimit.core
    from ninja.throttling import SimpleRateThrottle

    start, real_time = 1.8e9, time.time
    state = SimpleNamespace(offset=0.0)
    monkeypatch.setattr(
        django_ratelimit.core, "time", SimpleNamespace(time=lambda: start + state.offset)
    )
    base = real_time()
    monkeypatch.setattr(SimpleRateThrottle, "timer", staticmethod(lambda: base + state.offset))

    def advance(seconds: float) -> None:
        state.offset += seconds
        monkeypatch.setattr(time, "time", lambda: real_time() + state.offset)  # the cache's expiry

    return SimpleNamespace(advance=advance)


@pytest.fixture
def workspace(db):
    return WorkspaceFactory(name="Northwind", slug="northwind")


@pytest.fixture
def other_workspace(db):
    return WorkspaceFactory(name="Elsewhere Inc", slug="elsewhere")


@pytest.fixture
def owner(workspace):
    return MembershipFactory(
        workspace=workspace,
        role=Role.OWNER,
        user=UserFactory(email="alice@example.com", name="Alice Owner"),
    ).user


@pytest.fixture
def marketer(workspace):
    return MembershipFactory(
        workspace=workspace,
        role=Role.MARKETER,
        user=UserFactory(email="bob@example.com", name="Bob Marketer"),
    ).user


@pytest.fixture
def reviewer(workspace):
    return MembershipFactory(
        workspace=workspace,
        role=Role.REVIEWER,
        user=UserFactory(email="carol@example.com", name="Carol Reviewer"),
    ).user


@pytest.fixture
def outsider(other_workspace):
    return MembershipFactory(
        workspace=other_workspace,
        role=Role.OWNER,
        user=UserFactory(email="mallory@example.com", name="Mallory Outsider"),
    ).user


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner_client(owner):
    return _client_for(owner)


@pytest.fixture
def marketer_client(marketer):
    return _client_for(marketer)


@pytest.fixture
def reviewer_client(reviewer):
    return _client_for(reviewer)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)

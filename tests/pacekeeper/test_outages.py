"""While the database cannot be reached, pages answer 503 with a friendly page
and Retry-After, never a 500 with a traceback; once it is back, they work."""

from __future__ import annotations

import importlib
import socket
from contextlib import contextmanager

from django.db import connections
from django.db.backends.postgresql.base import DatabaseWrapper
from django.test import Client, override_settings
from django.urls import clear_url_caches


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the probe is


@contextmanager
def database_down():
    """The default connection pointed at a port nothing listens on, then back."""
    real = connections["default"]
    broken = DatabaseWrapper(
        {
            **real.settings_dict,
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "pacekeeper",
            "USER": "pacekeeper",
            "PASSWORD": "",
            "HOST": "127.0.0.1",
            "PORT": closed_port(),
            "OPTIONS": {"connect_timeout": 2},
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
        },
        alias="default",
    )
    connections["default"] = broken
    try:
        yield
    finally:
        broken.close()
        connections["default"] = real


def test_pages_answer_503_while_the_database_is_down_then_work_again(owner_client, workspace):
    owner_client.raise_request_exception = False
    home = f"/w/{workspace.slug}/"
    with database_down():
        response = owner_client.get(home)
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        page = response.content.decode()
        assert "cannot reach its database" in page
        assert "Traceback" not in page
        post = owner_client.post(f"/w/{workspace.slug}/personas/new/", {"name": "Olivia"})
        assert post.status_code == 503
        health = Client().get("/healthz")
        assert health.status_code == 503 and health["Retry-After"] == "30"
    assert owner_client.get(home).status_code == 200
    assert Client().get("/healthz").status_code == 200


def test_the_admin_lives_at_admin_url():
    try:
        with override_settings(ADMIN_URL="backstage-7f3k/"):
            importlib.reload(importlib.import_module("pacekeeper.urls"))
            clear_url_caches()
            response = Client().get("/backstage-7f3k/")
            assert response.status_code == 302
            assert response["Location"].startswith("/backstage-7f3k/login/")
            assert Client().get("/admin/").status_code == 404
    finally:
        importlib.reload(importlib.import_module("pacekeeper.urls"))
        clear_url_caches()
    assert Client().get("/admin/").status_code == 302

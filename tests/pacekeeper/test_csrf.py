"""CSRF: state changes need the token, and htmx's header carries it."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from workspaces.models import Workspace


def _enforcing_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_post_without_token_is_refused(owner):
    client = _enforcing_client(owner)
    response = client.post(reverse("workspaces:new"), {"name": "No token Ltd"})
    assert response.status_code == 403
    assert not Workspace.objects.filter(name="No token Ltd").exists()


def test_post_with_the_htmx_header_token_passes(owner):
    client = _enforcing_client(owner)
    client.get(reverse("workspaces:new"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("workspaces:new"),
        {"name": "Header token Ltd"},
        headers={"X-CSRFToken": token, "HX-Request": "true"},
    )
    assert response.status_code == 200 and response["HX-Redirect"]
    assert Workspace.objects.filter(name="Header token Ltd").exists()

"""The workspace's navigation stays on a 403 page and on pages outside any
workspace (the profile), and never shows a workspace the user is not in."""

from __future__ import annotations

from django.urls import reverse


def nav_links(response) -> bool:
    html = response.content.decode()
    return 'class="main-nav" aria-label="Main"' in html


def test_a_refused_page_keeps_the_navigation(reviewer_client, workspace):
    response = reviewer_client.get(reverse("personas:create", args=[workspace.slug]))
    assert response.status_code == 403
    assert nav_links(response)
    assert reverse("planning:dashboard", args=[workspace.slug]) in response.content.decode()


def test_the_profile_keeps_the_last_workspace_navigation(owner_client, workspace):
    assert not nav_links(owner_client.get(reverse("accounts:profile")))
    owner_client.get(reverse("personas:list", args=[workspace.slug]))
    response = owner_client.get(reverse("accounts:profile"))
    assert nav_links(response)
    assert reverse("personas:list", args=[workspace.slug]) in response.content.decode()


def test_a_workspace_cookie_of_someone_else_shows_nothing(outsider_client, workspace):
    outsider_client.cookies["pk_workspace"] = workspace.slug
    response = outsider_client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    assert not nav_links(response)
    assert workspace.name not in response.content.decode()

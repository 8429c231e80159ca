"""The workspace gate: membership and role in one place."""

from __future__ import annotations

from django.urls import reverse


def test_outsider_gets_404_not_403(outsider_client, workspace):
    response = outsider_client.get(reverse("personas:list", args=[workspace.slug]))
    assert response.status_code == 404


def test_unknown_workspace_gets_the_same_404(outsider_client, db):
    response = outsider_client.get(reverse("personas:list", args=["no-such-workspace"]))
    assert response.status_code == 404


def test_member_sees_their_role_in_the_header(reviewer_client, workspace):
    page = reviewer_client.get(
        reverse("planning:dashboard", args=[workspace.slug])
    ).content.decode()
    assert "Reviewer of Northwind" in page

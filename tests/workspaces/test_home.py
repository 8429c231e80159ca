from __future__ import annotations

from django.urls import reverse

from tests.factories import MembershipFactory, WorkspaceFactory
from workspaces.roles import Role


def test_user_with_one_workspace_lands_in_it(marketer_client, workspace):
    response = marketer_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("planning:dashboard", args=[workspace.slug])


def test_user_with_several_workspaces_gets_the_picker(owner_client, owner):
    MembershipFactory(user=owner, workspace=WorkspaceFactory(name="Second"), role=Role.REVIEWER)
    response = owner_client.get(reverse("home"))
    assert response["Location"] == reverse("workspaces:list")
    page = owner_client.get(response["Location"]).content.decode()
    assert "Northwind" in page and "Second" in page


def test_anonymous_user_is_sent_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_htmx_request_from_a_signed_out_browser_gets_a_client_redirect(client, workspace):
    response = client.get(
        reverse("planning:dashboard", args=[workspace.slug]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("accounts:login"))


def test_picker_empty_state_invites_creating_a_workspace(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    page = client.get(reverse("workspaces:list")).content.decode()
    assert "You are not in a workspace yet" in page
    assert reverse("workspaces:new") in page


def test_switcher_lists_every_workspace_of_the_user(owner_client, owner, workspace):
    MembershipFactory(user=owner, workspace=WorkspaceFactory(name="Bluebird"), role=Role.MARKETER)
    page = owner_client.get(reverse("planning:dashboard", args=[workspace.slug])).content.decode()
    assert "Bluebird" in page
    assert reverse("planning:dashboard", args=["northwind"]) in page

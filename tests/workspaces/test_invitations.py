from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.factories import UserFactory
from workspaces.models import Invitation, Membership

SIGNUP = {
    "name": "Rae Reviewer",
    "password1": "a long pass phrase 42",
    "password2": "a long pass phrase 42",
}


def invite(client, workspace, email="rae@example.com", role="reviewer") -> str:
    response = client.post(
        reverse("team:invite", args=[workspace.slug]), {"email": email, "role": role}
    )
    assert response.status_code == 200
    return re.search(r'id="invite-link" value="([^"]+)"', response.content.decode()).group(1)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_owner_invites_by_email_and_sees_the_link_once(owner_client, workspace):
    link = invite(owner_client, workspace)
    assert link.startswith("http://testserver/invite/")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rae@example.com"]
    assert link in mail.outbox[0].body
    invitation = Invitation.objects.get()
    assert link.rsplit("/", 2)[1] not in invitation.token_hash  # only a hash is stored
    assert invitation.expires_at - timezone.now() > timedelta(days=6)
    page = owner_client.get(reverse("team:members", args=[workspace.slug])).content.decode()
    assert "rae@example.com" in page and link not in page


def test_accepting_signs_up_and_adds_the_membership(owner_client, workspace):
    link = invite(owner_client, workspace)
    guest = Client()
    page = guest.get(path_of(link)).content.decode()
    assert "Join Northwind" in page and "rae@example.com" in page
    response = guest.post(path_of(link), SIGNUP)
    assert response.status_code == 303 and response["Location"] == reverse(
        "planning:dashboard", args=[workspace.slug]
    )
    user = User.objects.get(email="rae@example.com")
    assert Membership.objects.get(workspace=workspace, user=user).role == "reviewer"
    assert guest.get(response["Location"]).status_code == 200  # signed in
    assert Invitation.objects.get().accepted_by == user


def test_an_existing_account_links_after_signing_in(owner_client, workspace):
    existing = UserFactory(email="rae@example.com")
    link = invite(owner_client, workspace)
    guest = Client()
    assert "Sign in to join" in guest.get(path_of(link)).content.decode()
    guest.force_login(existing)
    guest.post(path_of(link))
    assert Membership.objects.get(workspace=workspace, user=existing).role == "reviewer"


def test_an_invitation_cannot_be_used_twice(owner_client, workspace):
    link = invite(owner_client, workspace)
    Client().post(path_of(link), SIGNUP)
    second = Client().post(path_of(link), {**SIGNUP, "name": "Someone else"})
    assert second.status_code == 410 and "already used" in second.content.decode()
    assert User.objects.filter(name="Someone else").count() == 0


def test_an_expired_invitation_gives_a_clear_page(owner_client, workspace):
    link = invite(owner_client, workspace)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = Client().post(path_of(link), SIGNUP)
    assert response.status_code == 410 and "has expired" in response.content.decode()
    assert not Membership.objects.filter(user__email="rae@example.com").exists()


def test_a_revoked_invitation_gives_a_clear_page(owner_client, workspace):
    link = invite(owner_client, workspace)
    owner_client.post(
        reverse("team:invitation_revoke", args=[workspace.slug, Invitation.objects.get().pk])
    )
    response = Client().get(path_of(link))
    assert response.status_code == 410 and "withdrawn" in response.content.decode()


def test_a_new_link_replaces_the_old_one(owner_client, workspace):
    old = invite(owner_client, workspace)
    response = owner_client.post(
        reverse("team:invitation_resend", args=[workspace.slug, Invitation.objects.get().pk])
    )
    new = re.search(r'id="invite-link" value="([^"]+)"', response.content.decode()).group(1)
    assert new != old
    assert Client().get(path_of(old)).status_code == 404
    assert Client().get(path_of(new)).status_code == 200


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: "guessed-token",
        lambda t: t + "x" * 200,
    ],
)
def test_an_altered_or_guessed_token_gives_the_unknown_page(owner_client, workspace, mangle):
    link = invite(owner_client, workspace)
    token = link.rstrip("/").rsplit("/", 1)[1]
    response = Client().get(reverse("invitation_accept", args=[mangle(token)]))
    assert (
        response.status_code == 404
        and "This invitation link does not work" in response.content.decode()
    )


def test_an_invitation_only_opens_its_own_workspace(owner_client, workspace, other_workspace):
    link = invite(owner_client, workspace)
    guest = Client()
    guest.post(path_of(link), SIGNUP)
    user = User.objects.get(email="rae@example.com")
    assert list(Membership.objects.filter(user=user).values_list("workspace__slug", flat=True)) == [
        "northwind"
    ]
    assert guest.get(reverse("planning:dashboard", args=[other_workspace.slug])).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-email", "role": "reviewer"}, "Enter a valid email address"),
        ({"email": "x@example.com", "role": "god"}, "Select a valid choice"),
        ({"email": "bob@example.com", "role": "reviewer"}, "already a member"),
    ],
)
def test_bad_invitations_are_refused(owner_client, workspace, marketer, data, message):
    response = owner_client.post(reverse("team:invite", args=[workspace.slug]), data)
    assert response.status_code == 422 and message in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_second_invitation_to_the_same_address_is_refused(owner_client, workspace):
    invite(owner_client, workspace)
    response = owner_client.post(
        reverse("team:invite", args=[workspace.slug]),
        {"email": "RAE@example.com", "role": "marketer"},
    )
    assert response.status_code == 422 and "already waiting" in response.content.decode()


def test_bad_signup_keeps_the_name_and_saves_nothing(owner_client, workspace):
    link = invite(owner_client, workspace)
    response = Client().post(
        path_of(link), {"name": "Rae", "password1": "short", "password2": "other"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "The two passwords differ." in html and 'value="Rae"' in html
    assert not User.objects.filter(email="rae@example.com").exists()
    assert Invitation.objects.get().accepted_at is None


def test_invitation_needs_a_password_that_passes_the_validators(owner_client, workspace):
    link = invite(owner_client, workspace)
    response = Client().post(
        path_of(link), {"name": "Rae", "password1": "12345678", "password2": "12345678"}
    )
    assert response.status_code == 422 and "too common" in response.content.decode()

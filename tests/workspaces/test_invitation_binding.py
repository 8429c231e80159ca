"""An invitation works only for the address it was sent to; an owner may
instead make a link anyone holding it can join through. Invitation links are
rate-limited per client."""

from __future__ import annotations

import re
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory
from workspaces.models import Invitation, Membership

SIGNUP = {"name": "Rae Reviewer", "password1": "a long pass phrase 42", "password2": "a long pass phrase 42"}  # fmt: skip


def path_of(page: str) -> str:
    link = re.search(r'id="invite-link" value="([^"]+)"', page).group(1)
    return "/" + link.split("/", 3)[3]


def invite(client, workspace, email="rae@example.com", role="reviewer") -> str:
    response = client.post(
        reverse("team:invite", args=[workspace.slug]), {"email": email, "role": role}
    )
    return path_of(response.content.decode())


def open_link(client, workspace, role="marketer", days="7") -> str:
    response = client.post(
        reverse("team:invite_link", args=[workspace.slug]), {"link-role": role, "link-days": days}
    )
    assert response.status_code == 200
    return path_of(response.content.decode())


def test_another_signed_in_user_is_refused_and_the_invitation_stays_valid(
    owner_client, workspace, outsider, outsider_client
):
    path = invite(owner_client, workspace)
    page = outsider_client.get(path)
    assert page.status_code == 403
    text = page.content.decode()
    assert "This invitation is for r…@example.com" in text
    assert f"You are signed in as {outsider.email}" in text
    assert "Sign out and open the link again" in text
    assert outsider_client.post(path).status_code == 403
    assert not Membership.objects.filter(workspace=workspace, user=outsider).exists()
    assert Invitation.objects.get().state == "pending"
    # The person invited still joins with it.
    response = Client().post(path, SIGNUP)
    assert response.status_code == 303
    assert (
        Membership.objects.get(workspace=workspace, user__email="rae@example.com").role
        == "reviewer"
    )


def test_the_invited_account_joins_whatever_the_case_of_its_address(owner_client, workspace):
    rae = UserFactory(email="Rae@Example.com")
    client = Client()
    client.force_login(rae)
    path = invite(owner_client, workspace)
    assert client.post(path).status_code == 303
    assert Membership.objects.filter(workspace=workspace, user=rae).exists()


def test_an_open_link_lets_anyone_join_until_revoked(
    owner_client, workspace, outsider, outsider_client
):
    path = open_link(owner_client, workspace, role="marketer", days="30")
    members = owner_client.get(reverse("team:members", args=[workspace.slug])).content.decode()
    assert "Anyone with the link" in members
    assert "joins as Marketer" in members
    invitation = Invitation.objects.get()
    assert invitation.open_link and invitation.email == ""
    assert timedelta(days=29) < invitation.expires_at - timezone.now() <= timedelta(days=30)
    # A newcomer gives an address and joins.
    newcomer = Client()
    assert "E-mail address" in newcomer.get(path).content.decode()
    response = newcomer.post(path, {**SIGNUP, "email": "sam@example.com"})
    assert response.status_code == 303
    assert (
        Membership.objects.get(workspace=workspace, user__email="sam@example.com").role
        == "marketer"
    )
    # Someone already signed in joins too; the link keeps working.
    assert outsider_client.post(path).status_code == 303
    assert Membership.objects.get(workspace=workspace, user=outsider).role == "marketer"
    invitation.refresh_from_db()
    assert invitation.joined == 2 and invitation.state == "pending"
    owner_client.post(reverse("team:invitation_revoke", args=[workspace.slug, invitation.pk]))
    assert Client().get(path).status_code == 410


def test_an_open_link_refuses_an_address_that_has_an_account(owner_client, workspace, outsider):
    path = open_link(owner_client, workspace)
    response = Client().post(path, {**SIGNUP, "email": outsider.email})
    assert response.status_code == 422
    assert "An account uses this address: sign in with it" in response.content.decode()
    assert not Membership.objects.filter(workspace=workspace, user=outsider).exists()


def test_an_open_link_expires(owner_client, workspace):
    path = open_link(owner_client, workspace, days="1")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert Client().get(path).status_code == 410


def test_a_bad_open_link_form_is_refused(owner_client, workspace):
    response = owner_client.post(
        reverse("team:invite_link", args=[workspace.slug]),
        {"link-role": "emperor", "link-days": "365"},
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists()


def test_invitation_links_are_rate_limited_per_client(
    owner_client, workspace, settings, rate_clock
):
    settings.INVITATION_RATE_LIMIT = "3/m"
    path = invite(owner_client, workspace)
    guesser = Client(REMOTE_ADDR="10.3.0.1")
    statuses = [guesser.get(f"/invite/guess-{i}/").status_code for i in range(3)]
    assert statuses == [404, 404, 404]
    response = guesser.get(path)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many invitation links opened from this network" in response.content.decode()
    assert Client(REMOTE_ADDR="10.3.0.2").get(path).status_code == 200
    rate_clock.advance(61)
    assert guesser.get(path).status_code == 200


def test_signing_in_with_the_invited_address_then_joining(owner_client, workspace):
    UserFactory(email="rae@example.com")
    path = invite(owner_client, workspace)
    client = Client()
    response = client.post(path)
    assert response.status_code == 303 and "/accounts/login/" in response["Location"]
    client.post("/accounts/login/", {"username": "rae@example.com", "password": PASSWORD})
    assert client.post(path).status_code == 303

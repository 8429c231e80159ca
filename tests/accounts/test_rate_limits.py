"""Every form that guards a secret or sends mail is limited, and a limit says
plainly that there were too many attempts and when to try again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import SignInThrottle
from accounts.ratelimits import wait_phrase
from tests.factories import PASSWORD, UserFactory

RESET = "/accounts/password/reset/"
LOGIN = "/accounts/login/"


def lift_lockouts() -> None:
    """As if the lock-out's fifteen minutes had passed."""
    past = timezone.now() - timedelta(minutes=16)
    SignInThrottle.objects.update(locked_until=past + timedelta(minutes=15), window_start=past)


def reset(email: str, ip: str = "10.1.1.1"):
    return Client().post(RESET, {"email": email}, REMOTE_ADDR=ip)


def assert_limited(response, phrase: str) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert phrase in page
    assert "try again in" in page.lower()


@pytest.mark.parametrize(
    ("seconds", "phrase"),
    [
        (1, "in 1 second"),
        (30, "in 30 seconds"),
        (60, "in 1 minute"),
        (61, "in 2 minutes"),
        (899.2, "in 15 minutes"),
        (3 * 3600, "in 3 hours"),
    ],
)
def test_waits_are_said_with_the_right_plural(seconds, phrase):
    assert wait_phrase(seconds) == phrase


def test_password_reset_mails_are_limited_per_address(db, rate_clock):
    UserFactory(email="olivia@example.com")
    statuses = [reset("olivia@example.com", ip=f"10.1.1.{i}").status_code for i in range(4)]
    assert statuses == [303, 303, 303, 429]  # 3 an hour for one address
    assert len(mail.outbox) == 3
    assert_limited(reset("OLIVIA@example.com", ip="10.1.2.1"), "Too many password-reset requests")
    assert len(mail.outbox) == 3
    UserFactory(email="rae@example.com")
    assert reset("rae@example.com", ip="10.1.3.1").status_code == 303  # another address
    rate_clock.advance(3601)
    assert reset("olivia@example.com").status_code == 303
    assert len(mail.outbox) == 5


def test_password_reset_mails_are_limited_per_client(db, rate_clock):
    for i in range(10):
        assert reset(f"person{i}@example.com").status_code == 303
    assert_limited(reset("someone@example.com"), "Too many password-reset requests")
    assert reset("someone@example.com", ip="10.1.1.2").status_code == 303


def test_the_lockout_says_when_and_not_that_the_password_was_wrong(db):
    user = UserFactory(email="olivia@example.com")
    for _ in range(5):
        Client().post(LOGIN, {"username": user.email, "password": "wrong"})
    response = Client().post(LOGIN, {"username": user.email, "password": PASSWORD})
    assert_limited(response, "Too many failed sign-ins")
    page = response.content.decode()
    assert "try again in 15 minutes" in page
    assert "do not match" not in page
    assert 890 <= int(response["Retry-After"]) <= 900
    assert 'value="olivia@example.com"' in page  # the address is kept
    SignInThrottle.objects.update(locked_until=timezone.now() + timedelta(seconds=50))
    response = Client().post(LOGIN, {"username": user.email, "password": PASSWORD})
    assert "try again in 50 seconds" in response.content.decode()


def test_wrong_current_passwords_on_password_change_lock_the_account(db):
    user = UserFactory(email="olivia@example.com")
    client = Client()
    client.force_login(user)

    def change(old: str):
        return client.post(
            "/accounts/password/",
            {
                "old_password": old,
                "new_password1": "n3w pass phrase",
                "new_password2": "n3w pass phrase",
            },
        )

    assert [change("guess").status_code for _ in range(4)] == [422] * 4
    assert_limited(change("guess"), "Too many wrong passwords for this account")
    assert_limited(change(PASSWORD), "password checks are paused")  # even the right one
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    # The same count guards signing in:
    assert Client().post(LOGIN, {"username": user.email, "password": PASSWORD}).status_code == 429
    lift_lockouts()
    assert change(PASSWORD).status_code == 303
    user.refresh_from_db()
    assert user.check_password("n3w pass phrase")


def test_wrong_current_passwords_on_email_change_lock_the_account(db):
    user = UserFactory(email="olivia@example.com", name="Olivia")
    client = Client()
    client.force_login(user)

    def change(password: str):
        return client.post(
            "/accounts/profile/",
            {"name": "Olivia", "email": "new@example.com", "current_password": password},
        )

    assert [change("guess").status_code for _ in range(4)] == [422] * 4
    assert_limited(change("guess"), "Too many wrong passwords for this account")
    assert_limited(change(PASSWORD), "password checks are paused")
    user.refresh_from_db()
    assert user.email == "olivia@example.com"
    # A change that needs no password still saves.
    assert (
        client.post("/accounts/profile/", {"name": "Liv", "email": user.email}).status_code == 303
    )
    lift_lockouts()
    assert change(PASSWORD).status_code == 303
    user.refresh_from_db()
    assert user.email == "new@example.com"

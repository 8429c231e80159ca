"""Safe sign-in: throttling, password change signs out other sessions, reset by e-mail, profile."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

LOGIN = "/accounts/login/"


def attempt(client, email, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_lock_out_even_the_right_password(db, settings):
    user = UserFactory(email="olivia@example.com")
    client = Client()
    statuses = [attempt(client, user.email, "wrong").status_code for _ in range(5)]
    assert statuses == [422, 422, 422, 422, 429]  # the fifth failure locks out
    response = attempt(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lock_out_is_per_address_whatever_its_case(db):
    user = UserFactory(email="olivia@example.com")
    for i in range(5):
        attempt(Client(), "OLIVIA@example.com " if i % 2 else user.email, "wrong", ip=f"10.0.1.{i}")
    assert attempt(Client(), user.email, PASSWORD, ip="10.0.2.1").status_code == 429


def test_lock_out_is_per_network_address_too(db):
    users = [UserFactory(email=f"u{i}@example.com") for i in range(6)]
    for user in users[:5]:
        attempt(Client(), user.email, "wrong", ip="10.9.9.9")
    assert attempt(Client(), users[5].email, PASSWORD, ip="10.9.9.9").status_code == 429
    assert attempt(Client(), users[5].email, PASSWORD, ip="10.9.9.8").status_code == 303


def test_the_lock_out_ends_by_itself(db):
    from django.utils import timezone

    from accounts.models import SignInThrottle

    user = UserFactory(email="olivia@example.com")
    for _ in range(5):
        attempt(Client(), user.email, "wrong")
    assert attempt(Client(), user.email, PASSWORD).status_code == 429
    # Fifteen minutes later (the default lock-out):
    past = timezone.now() - timedelta(minutes=16)
    SignInThrottle.objects.update(locked_until=past + timedelta(minutes=15), window_start=past)
    assert attempt(Client(), user.email, PASSWORD).status_code == 303


def test_the_admin_sign_in_is_throttled_too(db):
    UserFactory(email="boss@example.com", is_staff=True)
    for _ in range(5):
        Client().post(
            "/admin/login/",
            {"username": "boss@example.com", "password": "wrong"},
            REMOTE_ADDR="10.5.5.5",
        )
    response = Client().post(
        "/admin/login/",
        {"username": "boss@example.com", "password": PASSWORD},
        REMOTE_ADDR="10.5.5.6",
    )
    assert response.status_code == 200  # the admin's form, refused: no session
    assert "_auth_user_id" not in response.wsgi_request.session


def test_a_success_resets_the_accounts_count_not_the_networks(db):
    user = UserFactory(email="olivia@example.com")
    for _ in range(4):
        attempt(Client(), user.email, "wrong", ip="10.0.0.1")
    assert attempt(Client(), user.email, PASSWORD, ip="10.0.0.1").status_code == 303
    for _ in range(4):
        attempt(Client(), user.email, "wrong", ip="10.0.0.2")
    assert attempt(Client(), user.email, PASSWORD, ip="10.0.0.2").status_code == 303
    # The first network's four failures still count: one more locks it.
    attempt(Client(), "someone@example.com", "wrong", ip="10.0.0.1")
    assert attempt(Client(), user.email, PASSWORD, ip="10.0.0.1").status_code == 429


def test_changing_the_password_signs_out_every_other_session(db):
    user = UserFactory(email="olivia@example.com")
    laptop, phone = Client(), Client()
    for client in (laptop, phone):
        assert attempt(client, user.email, PASSWORD, ip="10.1.1.1").status_code == 303
    response = laptop.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a brand new pass phrase",
            "new_password2": "a brand new pass phrase",
        },
    )
    assert response.status_code == 303
    assert laptop.get(reverse("workspaces:list")).status_code == 200  # this session stays
    assert phone.get(reverse("workspaces:list")).status_code == 302  # the other is signed out


def test_password_reset_by_email(db):
    user = UserFactory(email="olivia@example.com")
    client = Client()
    assert (
        client.post(reverse("accounts:password_reset"), {"email": "olivia@example.com"}).status_code
        == 303
    )
    assert len(mail.outbox) == 1
    link = re.search(
        r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body
    ).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "another pass phrase 9", "new_password2": "another pass phrase 9"},
    )
    assert response.status_code == 303
    user.refresh_from_db()
    assert user.check_password("another pass phrase 9")


def test_password_reset_for_an_unknown_address_looks_the_same(db):
    response = Client().post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 303 and not mail.outbox


def test_profile_changes_name_and_email_with_the_password(db):
    user = UserFactory(email="olivia@example.com", name="Olivia")
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"), {"name": "Olivia O.", "email": "new@example.com"}
    )
    assert (
        response.status_code == 422 and "Enter your current password" in response.content.decode()
    )
    response = client.post(
        reverse("accounts:profile"),
        {"name": "Olivia O.", "email": "new@example.com", "current_password": PASSWORD},
    )
    assert response.status_code == 303
    user.refresh_from_db()
    assert (user.name, user.email) == ("Olivia O.", "new@example.com")


def test_profile_refuses_an_address_in_use_and_bad_input(db):
    UserFactory(email="taken@example.com")
    user = UserFactory(email="olivia@example.com")
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {"name": "n" * 121, "email": "TAKEN@example.com", "current_password": PASSWORD},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Another account uses this e-mail address." in html and "at most 120 characters" in html

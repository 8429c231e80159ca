"""E-mails: a plain-text and an HTML part, a signed one-click unsubscribe link.

The unsubscribe link names one person and one kind, signed with the secret key
(no expiry, no sign-in): it stops that kind of e-mail for that person only.
Mail clients that offer their own button use the ``List-Unsubscribe`` header
(RFC 8058 one-click POST to the same address).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

SALT = "notifications.unsubscribe"


def absolute(path: str) -> str:
    """A full address for an e-mail (``SITE_URL`` and the path)."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps([user_id, kind], salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        user_id, kind = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return (user_id, kind) if isinstance(user_id, int) and isinstance(kind, str) else None


def unsubscribe_url(user_id: int, kind: str) -> str:
    return absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id, kind)]))


def send(
    *, to: str, user_id: int, kind: str, subject: str, template: str, context: dict[str, Any]
) -> None:
    """Send ``template`` (``<template>.txt`` and ``.html``) to one person."""
    unsubscribe = unsubscribe_url(user_id, kind)
    context = {**context, "unsubscribe_url": unsubscribe, "site_url": settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    message.send()

"""Secrets shown once and stored as hashes: API tokens, and the helpers that
invitations and share links use too.

A secret is 256 random bits (``secrets.token_urlsafe(32)``). Only its SHA-256
is stored. A lookup hashes the presented secret first, so the index search
never sees anything an attacker chose; the final comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import TypeVar

from django.db import models
from django.utils import timezone

from accounts.models import ApiToken, User

PREFIX = "pk_"
# Longer input is refused before hashing: no secret of ours is this long.
MAX_SECRET_LENGTH = 100

M = TypeVar("M", bound=models.Model)


def secret_new(prefix: str = "") -> str:
    """A fresh secret of 256 random bits, URL-safe."""
    return prefix + secrets.token_urlsafe(32)


def secret_hash(secret: str) -> str:
    """What is stored of a secret: its SHA-256, hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_lookup(
    queryset: models.QuerySet[M], secret: str, *, field: str = "token_hash"
) -> M | None:
    """The row of ``queryset`` whose stored hash is the secret's, or None."""
    if not secret or len(secret) > MAX_SECRET_LENGTH:
        return None
    digest = secret_hash(secret)
    row = queryset.filter(**{field: digest}).first()
    if row is None or not hmac.compare_digest(getattr(row, field), digest):
        return None
    return row


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token and its secret, which is shown once and never again."""
    secret = secret_new(PREFIX)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:10], token_hash=secret_hash(secret)
    )
    return token, secret


def token_revoke(*, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])


def user_for_token(secret: str) -> User | None:
    """The active user behind a token, or None. Notes the use, once a minute at most."""
    if not secret.startswith(PREFIX):
        return None
    token = secret_lookup(
        ApiToken.objects.select_related("user").filter(revoked_at__isnull=True), secret
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user

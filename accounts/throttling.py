"""Throttled sign-in: failures counted per e-mail address and per network address.

A wrong current password, asked for to change the e-mail address or the
password, counts as a failed sign-in too: a stolen session cannot guess it.

LOGIN_FAILURE_LIMIT failures for either key within LOGIN_LOCKOUT lock that key
for LOGIN_LOCKOUT; during a lock-out even the right password fails, and the
lock-out ends by itself. Counts live in the database so every app server sees
them. The check sits in the authentication backend, so the Django admin's
sign-in is throttled too.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import SignInThrottle


def client_address(request: HttpRequest | None) -> str:
    """The client's address: the peer, or the one the trusted proxies saw."""
    if request is None:
        return ""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")


def _keys(request: HttpRequest | None, username: str) -> list[str]:
    keys = [f"user:{username.strip().lower()}"]
    address = client_address(request)
    if address:
        keys.append(f"ip:{address}")
    return keys


def is_locked(request: HttpRequest | None, username: str) -> bool:
    return SignInThrottle.objects.filter(
        key__in=_keys(request, username), locked_until__gt=timezone.now()
    ).exists()


def locked_for(request: HttpRequest | None, username: str) -> float | None:
    """Seconds until the lock-out on this e-mail or network address ends, or None."""
    until = (
        SignInThrottle.objects.filter(
            key__in=_keys(request, username), locked_until__gt=timezone.now()
        )
        .order_by("-locked_until")
        .values_list("locked_until", flat=True)
        .first()
    )
    return None if until is None else (until - timezone.now()).total_seconds()


def record_failure(request: HttpRequest | None, username: str) -> None:
    now = timezone.now()
    window = settings.LOGIN_LOCKOUT
    for key in _keys(request, username):
        row, created = SignInThrottle.objects.get_or_create(
            key=key, defaults={"window_start": now, "failures": 1}
        )
        if created:
            continue
        if row.window_start < now - window and not (row.locked_until and row.locked_until > now):
            # The previous window is over: start counting again.
            SignInThrottle.objects.filter(pk=row.pk).update(
                failures=1, window_start=now, locked_until=None
            )
            continue
        SignInThrottle.objects.filter(pk=row.pk).update(failures=F("failures") + 1)
        row.refresh_from_db(fields=["failures"])
        if row.failures >= settings.LOGIN_FAILURE_LIMIT:
            SignInThrottle.objects.filter(pk=row.pk).update(locked_until=now + window)
    if settings.LOGIN_FAILURE_LIMIT <= 1:
        SignInThrottle.objects.filter(key__in=_keys(request, username)).update(
            locked_until=now + window
        )


def record_success(request: HttpRequest | None, username: str) -> None:
    """A successful sign-in clears the address's account count (not the network's)."""
    SignInThrottle.objects.filter(key=_keys(request, username)[0]).delete()


class ThrottledModelBackend(ModelBackend):
    """Django's model backend, refusing locked-out e-mail and network addresses."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get("email", "")
        if username is None or password is None:
            return None
        if is_locked(request, username):
            raise PermissionDenied("Too many failed sign-ins.")  # stops every backend
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(request, username)
        else:
            record_success(request, username)
        return user

"""Rate limits on Django's cache (django-ratelimit), and how a limit answers.

The counts live in the cache named by ``CACHE_URL``: the local memory of one
process by default, Redis in production so that every app server shares them.
Every limit answers 429 with ``Retry-After`` and says, in words, when to try
again.
"""

from __future__ import annotations

import math

from django.http import HttpRequest, HttpResponse
from django_ratelimit.core import get_usage

from accounts.throttling import client_address


def limit_hit(
    request: HttpRequest, group: str, key: str, rate: str, *, increment: bool = True
) -> int | None:
    """Count one event for ``key`` in ``group`` (or only look, ``increment=False``):
    None while under ``rate``, else the seconds until the count starts again."""
    usage = get_usage(
        request, group=group, key=lambda _group, _request: key, rate=rate, increment=increment
    )
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, math.ceil(usage["time_left"]))


def client_key(request: HttpRequest) -> str:
    return f"ip:{client_address(request)}"


def wait_phrase(seconds: float) -> str:
    """``in 30 seconds``, ``in 1 minute``, ``in 14 minutes``, ``in 2 hours``: rounded up."""
    seconds = max(1, math.ceil(seconds))
    if seconds < 60:
        return f"in {seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    if minutes < 120:
        return f"in {minutes} minute{'s' if minutes != 1 else ''}"
    hours = math.ceil(minutes / 60)
    return f"in {hours} hours"


def with_retry_after(response: HttpResponse, seconds: float) -> HttpResponse:
    response["Retry-After"] = str(max(1, math.ceil(seconds)))
    return response

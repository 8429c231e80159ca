"""The JSON API under /api/v1/ (django-ninja): token auth, one router per app.

Project wiring, at the top of the layers: this module imports every app's
router; no app imports it. Every workspace endpoint goes through
``workspaces.access.workspace_gate``: the same tenancy and role rules as the
pages — a token is its user's, so it reaches that user's workspaces only;
non-members get 404, roles that may not act 403.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import Throttled
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from accounts.ratelimits import client_key, limit_hit, wait_phrase, with_retry_after
from accounts.tokens import secret_hash, user_for_token
from channels.api import router as channels
from experiments.api import router as experiments
from personas.api import router as personas
from planning.api import router as planning
from workspaces.api import router as workspaces
from workspaces.versioning import StaleVersion


class TokenAuth(HttpBearer):
    """A personal token; wrong ones are counted per client address, and past
    API_BAD_TOKEN_RATE_LIMIT the client is refused (429) before any lookup."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str):
        client, rate = client_key(request), settings.API_BAD_TOKEN_RATE_LIMIT
        wait = limit_hit(request, "api.bad_token", client, rate, increment=False)
        if wait:
            raise Throttled(wait=wait)
        user = user_for_token(token)
        if user is None:
            wait = limit_hit(request, "api.bad_token", client, rate)
            if wait:
                raise Throttled(wait=wait)
            return None
        request.user = user
        request.api_token_key = f"token:{secret_hash(token)}"
        return user


class TokenThrottle(SimpleRateThrottle):
    """Requests per token (per client address without one), reads and writes
    counted apart, at the rate the setting ``rate_setting`` names."""

    def __init__(self, rate_setting: str, *, writes: bool) -> None:
        self.rate_setting, self.writes = rate_setting, writes
        super().__init__(rate=getattr(settings, rate_setting))

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = getattr(
            settings, self.rate_setting
        )  # read at each request: settings may change
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if (request.method not in ("GET", "HEAD", "OPTIONS")) != self.writes:
            return None
        who = getattr(request, "api_token_key", None) or client_key(request)
        return f"api.{'write' if self.writes else 'read'}:{who}"


api = NinjaAPI(
    title="Pacekeeper API",
    version="1",
    description=(
        "Personas, channels, channel usages, experiments and results, plans with their allocation, "
        "and recorded effort. Authenticate with a personal token from your profile page: "
        "`Authorization: Bearer pk_…`. Writes that carry a `version` are refused with 409 when the "
        "object changed since that version."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    throttle=[
        TokenThrottle("API_READ_RATE_LIMIT", writes=False),
        TokenThrottle("API_WRITE_RATE_LIMIT", writes=True),
    ],
    docs_url=None,  # the interactive docs load scripts the Content-Security-Policy forbids
    # Token auth only: no cookie ever authenticates an API call, so no CSRF either.
)


@api.exception_handler(StaleVersion)
def stale_version(request, exc: StaleVersion):
    current = exc.current
    return api.create_response(
        request,
        {
            "detail": f"Not saved: {current.updated_by or 'someone'} changed this since version "
            f"you sent; it is now at version {current.version}. Read it again and retry.",
            "current_version": current.version,
        },
        status=409,
    )


@api.exception_handler(Throttled)
def throttled(request, exc: Throttled):
    wait = exc.wait or 1
    response = api.create_response(
        request,
        {
            "detail": f"Too many requests: try again {wait_phrase(wait)}.",
            "retry_after": math.ceil(wait),
        },
        status=429,
    )
    return with_retry_after(response, wait)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not allowed."}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.get("", auth=None, url_name="index", include_in_schema=False)
def index(request):
    """Where to start: the schema."""
    return {"name": "Pacekeeper API", "version": 1, "schema": "/api/v1/openapi.json"}


for router in (workspaces, personas, channels, experiments, planning):
    api.add_router("", router)


def api_urls():
    """The API's URL patterns, open to token-only requests (no session sign-in needed)."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback.login_required = False
    return patterns, app_name, namespace

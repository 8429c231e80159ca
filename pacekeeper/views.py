"""Project-wide views: the health check and friendly error pages."""

from __future__ import annotations

import sys
from collections.abc import Callable

from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError, connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

DATABASE_DOWN_RETRY_AFTER = 30  # seconds a client is asked to wait while the database is away


@login_not_required
@never_cache
@require_GET
@transaction.non_atomic_requests  # the check itself reaches for the database, and answers 503
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer: 200 when the app can reach its database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "not healthy"
        response = JsonResponse({"status": "database unavailable"}, status=503)
        response["Retry-After"] = str(DATABASE_DOWN_RETRY_AFTER)
        return response
    return JsonResponse({"status": "ok"})


def _error_page(status: int, title: str, message: str) -> Callable[..., HttpResponse]:
    """The friendly page for an error ``status``, as a Django error handler."""

    def handler(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        template = loader.get_template("error.html")
        body = template.render({"status": status, "title": title, "message": message}, request)
        return HttpResponse(body, status=status)

    return handler


bad_request = _error_page(400, "Bad request", "The request could not be understood.")
permission_denied = _error_page(
    403,
    "Not allowed",
    "Your role in this workspace does not allow this. Ask an owner if you need it.",
)
page_not_found = _error_page(
    404, "Page not found", "There is nothing here, or it is not shared with you."
)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 with ``Retry-After`` while the database cannot be reached.
    Neither page touches the database."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        template = loader.get_template("503.html")
        body = template.render({"retry_after": DATABASE_DOWN_RETRY_AFTER})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(DATABASE_DOWN_RETRY_AFTER)
        return response
    template = loader.get_template("500.html")
    return HttpResponse(template.render({}), status=500)

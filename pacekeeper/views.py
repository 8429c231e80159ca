"""Project-wide views: the health check and friendly error pages."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer: 200 when the app can reach its database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "database unavailable"}, status=503)
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
    template = loader.get_template("500.html")
    return HttpResponse(template.render({}), status=500)

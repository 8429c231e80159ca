from __future__ import annotations

from django.contrib.auth import middleware
from django.http import HttpRequest, HttpResponse
from django_htmx.http import HttpResponseClientRedirect


class LoginRequiredMiddleware(middleware.LoginRequiredMiddleware):
    """Django's login-required middleware, aware of htmx.

    An htmx request from a signed-out browser (an expired session) gets a
    client-side redirect to the login page instead of having the login page
    swapped into a fragment.
    """

    def handle_no_permission(self, request: HttpRequest, view_func) -> HttpResponse:
        response = super().handle_no_permission(request, view_func)
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(response["Location"])
        return response

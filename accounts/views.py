from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods, require_POST

from accounts import tokens
from accounts.forms import ApiTokenForm, LoginForm, ProfileForm
from accounts.models import ApiToken
from accounts.ratelimits import client_key, limit_hit, wait_phrase, with_retry_after
from accounts.throttling import locked_for, record_failure
from pacekeeper.htmx import see_other


class SeeOtherAfterPost:
    """Django's sign-in and password views, answering a successful POST with 303
    like every other form here."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().dispatch(request, *args, **kwargs)
        if request.method == "POST" and response.status_code == 302:
            response.status_code = 303
        return response


@method_decorator(login_not_required, name="dispatch")
class LoginView(SeeOtherAfterPost, auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        username = self.request.POST.get("username", "")
        wait = locked_for(self.request, username) if username else None
        if wait:
            message = (
                "Too many failed sign-ins for this account or from this network. For your "
                f"security, signing in is paused: try again {wait_phrase(wait)}, or reset your "
                "password."
            )
            # Whether the password was right is not said: the form comes back
            # without errors, the e-mail address kept.
            form = self.get_form_class()(self.request, initial={"username": username})
            response = self.render_to_response(
                self.get_context_data(form=form, locked_message=message), status=429
            )
            return with_retry_after(response, wait)
        response = super().form_invalid(form)
        response.status_code = 422
        return response


def password_checks_paused(seconds: float) -> str:
    return (
        "Too many wrong passwords for this account. For your security, password checks are "
        f"paused: try again {wait_phrase(seconds)}."
    )


def count_wrong_password(request: HttpRequest, email: str) -> float | None:
    """A wrong current password counts as a failed sign-in; the seconds the
    account is now locked out for, if it is."""
    record_failure(request, email)
    return locked_for(request, email)


class LogoutView(SeeOtherAfterPost, auth_views.LogoutView):
    http_method_names = ["post", "options"]


class PasswordChangeView(SeeOtherAfterPost, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def post(self, request, *args, **kwargs):
        wait = locked_for(request, request.user.email)
        if wait:
            return self._paused(wait)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed.")
        return response

    def form_invalid(self, form):
        if form.has_error("old_password"):
            wait = count_wrong_password(self.request, self.request.user.email)
            if wait:
                return self._paused(wait)
        response = super().form_invalid(form)
        response.status_code = 422
        return response

    def _paused(self, wait: float) -> HttpResponse:
        form = self.get_form_class()(self.request.user)
        context = self.get_context_data(form=form, locked_message=password_checks_paused(wait))
        return with_retry_after(self.render_to_response(context, status=429), wait)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(SeeOtherAfterPost, auth_views.PasswordResetView):
    """Sends the reset e-mail, no more often than PASSWORD_RESET_RATE_LIMIT per
    address and PASSWORD_RESET_CLIENT_RATE_LIMIT per client address."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        wait = limit_hit(
            self.request,
            "accounts.password_reset.client",
            client_key(self.request),
            settings.PASSWORD_RESET_CLIENT_RATE_LIMIT,
        ) or limit_hit(
            self.request,
            "accounts.password_reset.email",
            f"email:{email}",
            settings.PASSWORD_RESET_RATE_LIMIT,
        )
        if wait:
            message = (
                "Too many password-reset requests for this address or from this network. "
                f"Try again {wait_phrase(wait)}; a link sent before still works."
            )
            context = self.get_context_data(form=form, locked_message=message)
            return with_retry_after(self.render_to_response(context, status=429), wait)
        return super().form_valid(form)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(SeeOtherAfterPost, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 422
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


NEW_TOKEN_SESSION_KEY = "pacekeeper.new_api_token"  # noqa: S105 (a session key, not a secret)


def _profile_page(request: HttpRequest, *, status: int = 200, **extra) -> HttpResponse:
    context = {
        "form": ProfileForm(instance=request.user),
        "token_form": ApiTokenForm(),
        "tokens": ApiToken.objects.filter(user=request.user, revoked_at__isnull=True),
        **extra,
    }
    return render(request, "accounts/profile.html", context, status=status)


@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        email = request.user.email  # the form writes the new one on the instance
        wait = locked_for(request, email)
        form = ProfileForm(
            request.POST,
            instance=request.user,
            locked_message=password_checks_paused(wait) if wait else "",
        )
        if form.is_valid():
            form.save()
            messages.success(request, "Your profile is saved.")
            return see_other(request, reverse("accounts:profile"))
        request.user.refresh_from_db()
        if form.password_wrong:
            wait = count_wrong_password(request, email)
            if wait:
                form = ProfileForm(
                    request.POST, instance=request.user, locked_message=password_checks_paused(wait)
                )
        if wait and form.has_error("current_password"):
            return with_retry_after(_profile_page(request, status=429, form=form), wait)
        return _profile_page(request, status=422, form=form)
    # A token created a moment ago is shown this once, then only its prefix.
    new_token = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    if new_token:
        return _profile_page(request, new_token=new_token)
    return _profile_page(request)


@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, status=422, token_form=form)
    token, secret = tokens.token_create(user=request.user, name=form.cleaned_data["name"])
    # Only its hash is stored; the secret waits in the session for the next
    # page, so reloading that page neither shows it again nor makes another.
    request.session[NEW_TOKEN_SESSION_KEY] = {"name": token.name, "secret": secret}
    return see_other(request, reverse("accounts:profile"))


@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of your API tokens, after a confirmation on its own page."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    if request.method == "GET":
        return render(request, "accounts/token_revoke.html", {"token": token})
    tokens.token_revoke(token=token)
    messages.success(request, f"The token “{token.name}” is revoked: it no longer opens the API.")
    return see_other(request, reverse("accounts:profile"))

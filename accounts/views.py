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
from accounts.throttling import is_locked
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
        if username and is_locked(self.request, username):
            minutes = int(settings.LOGIN_LOCKOUT.total_seconds() // 60)
            message = (
                f"Too many failed sign-ins. For your security, signing in is paused for up to {minutes} "
                "minutes for this account and this network. Try again later, or reset your password."
            )
            return self.render_to_response(
                self.get_context_data(form=form, locked_message=message), status=429
            )
        response = super().form_invalid(form)
        response.status_code = 422
        return response


class LogoutView(SeeOtherAfterPost, auth_views.LogoutView):
    http_method_names = ["post", "options"]


class PasswordChangeView(SeeOtherAfterPost, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed.")
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 422
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(SeeOtherAfterPost, auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


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
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            form.save()
            messages.success(request, "Your profile is saved.")
            return see_other(request, reverse("accounts:profile"))
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


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    tokens.token_revoke(token=token)
    messages.success(request, f"The token “{token.name}” is revoked: it no longer opens the API.")
    return see_other(request, reverse("accounts:profile"))

"""The inbox, each person's preferences, and the e-mails' unsubscribe link."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from notifications import digest, services
from notifications.emails import read_unsubscribe_token
from notifications.kinds import AUDIENCE, EMAIL_ONLY, Delivery, Kind
from pacekeeper.htmx import form_status, render_page, see_other
from workspaces.access import WorkspaceRequest, workspace_view
from workspaces.models import Workspace
from workspaces.roles import Action

PER_PAGE = 20


@require_GET
@workspace_view(Action.VIEW)
def inbox(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """What the person was told in this workspace, newest first, a page at a time."""
    notifications = services.inbox(workspace, request.user).select_related("actor")
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    return render_page(request, "notifications/inbox.html", {"page": page})


def _back(request: WorkspaceRequest, workspace: Workspace) -> str:
    url = reverse("inbox:list", args=[workspace.slug])
    page = request.POST.get("page", "")
    return f"{url}?page={page}" if page.isdigit() else url


@require_GET
@workspace_view(Action.VIEW)
def open_notification(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """Follow a notification to its object, marking it read."""
    notification = services.inbox(workspace, request.user).get_or_404(pk=pk)
    services.mark_read(workspace, request.user, notification.pk)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = reverse("inbox:list", args=[workspace.slug])
    return HttpResponseRedirect(target)


@require_POST
@workspace_view(Action.VIEW)
def read(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    services.inbox(workspace, request.user).get_or_404(pk=pk)
    services.mark_read(workspace, request.user, pk)
    return see_other(request, _back(request, workspace))


@require_POST
@workspace_view(Action.VIEW)
def read_all(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    count = services.mark_read(workspace, request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
    return see_other(request, _back(request, workspace))


class PreferencesForm(forms.Form):
    """One choice per kind: in the app, by e-mail, both or neither."""

    def __init__(self, *args, initial: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind:
            choices = Delivery.choices
            if kind in EMAIL_ONLY:
                choices = [(Delivery.EMAIL, "By e-mail"), (Delivery.NONE, "Not at all")]
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=choices,
                initial=initial[kind],
                help_text=f"Who: {AUDIENCE[kind].lower()}.",
            )


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, initial=services.deliveries(request.user))
    if request.method == "POST" and form.is_valid():
        for kind, delivery in form.cleaned_data.items():
            services.set_delivery(request.user, kind, delivery)
        messages.success(request, "Your notification settings are saved.")
        return see_other(request, reverse("notifications:preferences"))
    status = form_status(request, form)
    return render(request, "notifications/preferences.html", {"form": form}, status=status)


@login_not_required
@csrf_exempt  # the signed token is the credential; mail clients POST it (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One click, signed in or not: no more e-mails of this kind for this person."""
    found = read_unsubscribe_token(token)
    if found is None or found[1] not in Kind.values:
        raise Http404("This unsubscribe link is not valid.")
    user = get_user_model().objects.filter(pk=found[0], is_active=True).first()
    if user is None:
        raise Http404("This unsubscribe link is not valid.")
    kind = Kind(found[1])
    delivery = services.stop_emails(user, kind)
    context = {"kind": kind, "in_app": delivery == Delivery.IN_APP, "email": user.email}
    return render(request, "notifications/unsubscribed.html", context)


@require_GET
@workspace_view(Action.VIEW)
def digest_preview(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """This week's digest as members will get it, both parts, and when it goes out."""
    found = digest.build(workspace)
    blank = {"link": "…", "preferences_url": "…", "unsubscribe_url": "…"}
    text = render_to_string(
        "notifications/email/digest.txt",
        {"digest": found, "workspace_name": workspace.name, **blank},
    )
    return render_page(request, "notifications/digest.html", {"digest": found, "text": text})

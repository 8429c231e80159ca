"""Sharing: the links members create and revoke, the one-pager they print, and
the read-only pages people without an account open.

Shared pages (``/s/<token>/``) stand alone: they are rendered without the
request's context (no user, no workspace navigation, no messages), carry no
link into the workspace, and answer with ``noindex``, ``no-referrer`` and
``private, no-store``. Every request to them is rate-limited per client.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.core.signing import BadSignature
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from accounts.ratelimits import limit_hit, wait_phrase, with_retry_after
from accounts.throttling import client_address
from accounts.tokens import secret_lookup
from pacekeeper.htmx import render_page, see_other
from personas.models import Persona, get_persona
from planning.models import Plan, get_plan
from sharing import services
from sharing.forms import ShareFilterForm, ShareLinkForm
from sharing.models import ShareKind, ShareLink
from sharing.one_pager import one_pager
from sharing.pdf import pdf_response
from sharing.plans import shared_dashboard_context, shared_plan_context
from sharing.selectors import get_share_link, listed_links, visible_links
from workspaces.access import WorkspaceRequest, workspace_view
from workspaces.models import Workspace
from workspaces.roles import Action

PAGE_SIZE = 25
# The new link travels to the next page in a signed cookie on the creator's
# browser, so it is shown once and never written to the database.
NEW_LINK_COOKIE = "pacekeeper_new_share"
NEW_LINK_SALT = "sharing.new-link"
NEW_LINK_MAX_AGE = 300


# --- Rate limits ---------------------------------------------------------------


def _client_key(group: str, request: HttpRequest) -> str:
    """Shared pages count per client address (as the sign-in throttle reads it)."""
    return f"ip:{client_address(request)}"


def _member_key(group: str, request: HttpRequest) -> str:
    """Members' PDFs count per person: an office behind one address is many people."""
    return f"user:{request.user.pk}"


def _limited(request: HttpRequest, group: str, rate, key=_client_key) -> int | None:
    """None under the limit, else the seconds until its window ends."""
    return limit_hit(request, group, key(group, request), rate(group, request))


def _share_rate(group: str, request: HttpRequest) -> str:
    return settings.SHARE_RATE_LIMIT


def _pdf_rate(group: str, request: HttpRequest) -> str:
    return settings.PDF_RATE_LIMIT


def _too_many_pdfs(request: HttpRequest, *, member: bool = False) -> int | None:
    return _limited(request, "sharing.pdf", _pdf_rate, _member_key if member else _client_key)


# --- Managing links -------------------------------------------------------------


def _target(workspace: Workspace, kind: str, raw_pk: str) -> Persona | Plan:
    """What a new link will show, from the query string: within the workspace, or 404."""
    if not raw_pk.isdigit() or len(raw_pk) > 18:  # beyond any id, and any integer column
        raise Http404("Nothing to share.")
    if kind == ShareKind.PERSONA:
        return get_persona(workspace, int(raw_pk))
    if kind in (ShareKind.PLAN, ShareKind.DASHBOARD):
        return get_plan(workspace, int(raw_pk))
    raise Http404("Nothing to share.")


def shared_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("shared:page", args=[token]))


@require_http_methods(["GET", "POST"])
@workspace_view(Action.SHARE)
def share_create(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    kind = request.GET.get("kind", "")
    target = _target(workspace, kind, request.GET.get("target", ""))
    form = ShareLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        link, token = services.share_link_create(
            workspace=workspace,
            kind=kind,
            target=target,
            by=request.user,
            expires_in_days=form.cleaned_data["expires_in"] or None,
            note=form.cleaned_data["note"],
        )
        list_url = reverse("sharing:list", args=[workspace.slug])
        response = see_other(request, list_url)
        response.set_signed_cookie(
            NEW_LINK_COOKIE,
            f"{link.pk}:{token}",
            salt=NEW_LINK_SALT,
            max_age=NEW_LINK_MAX_AGE,
            path=list_url,
            secure=request.is_secure(),
            httponly=True,
            samesite="Strict",
        )
        return response
    existing = (
        visible_links(request.membership)
        .active()
        .filter(kind=kind, **{"persona" if kind == ShareKind.PERSONA else "plan": target})
        .count()
    )
    context = {
        "form": form,
        "kind": kind,
        "target": target,
        "existing": existing,
    }
    status = 422 if request.method == "POST" else 200
    return render_page(request, "sharing/create.html", context, status=status)


def _new_link(request: WorkspaceRequest) -> tuple[int, str] | None:
    try:
        value = request.get_signed_cookie(
            NEW_LINK_COOKIE, salt=NEW_LINK_SALT, max_age=NEW_LINK_MAX_AGE
        )
    except (KeyError, BadSignature):
        return None
    pk, _, token = value.partition(":")
    return (int(pk), token) if pk.isdigit() and token else None


@require_GET
@workspace_view(Action.SHARE)
def share_list(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """The workspace's shared links: owners see all, others their own."""
    filters = ShareFilterForm(request.GET)
    filters.is_valid()
    ended = filters.cleaned_data.get("state") == "ended"
    page = Paginator(listed_links(request.membership, ended=ended), PAGE_SIZE).get_page(
        filters.cleaned_data.get("page") or 1
    )
    new_link = new_url = None
    created = _new_link(request)
    if created is not None:
        pk, token = created
        new_link = secret_lookup(visible_links(request.membership).filter(pk=pk), token)
        new_url = shared_url(request, token) if new_link else None
    context = {
        "page": page,
        "ended": ended,
        "sees_all": request.membership.can(Action.MANAGE),
        "new_link": new_link,
        "new_url": new_url,
    }
    response = render_page(request, "sharing/list.html", context)
    if created is not None:
        response.delete_cookie(NEW_LINK_COOKIE, path=request.path)
        response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@workspace_view(Action.SHARE)
def share_revoke(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """Revoke a shared link, after a confirmation on its own page."""
    link = get_share_link(request.membership, pk)
    if request.method == "GET" and link.is_active:
        return render_page(request, "sharing/revoke.html", {"link": link})
    if request.method == "GET":
        messages.info(request, f"The link to {link.target_name} no longer opens anything.")
    elif services.share_link_revoke(link=link, by=request.user):
        messages.success(
            request, f"The link to {link.target_name} is revoked: it no longer opens anything."
        )
    else:
        messages.info(request, f"The link to {link.target_name} was already revoked.")
    return see_other(request, reverse("sharing:list", args=[workspace.slug]))


def _one_pager_pdf(persona: Persona) -> HttpResponse:
    return pdf_response(
        "sharing/one_pager_pdf.html",
        {"op": one_pager(persona)},
        filename=f"{persona.name} one-pager",
        pages=1,
    )


# --- The one-pager, for members ----------------------------------------------------


@require_GET
@workspace_view()
def persona_one_pager(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    persona = get_persona(workspace, pk)
    context = {
        "persona": persona,
        "op": one_pager(persona),
        "print_now": request.GET.get("print") == "1",
    }
    return render_page(request, "sharing/one_pager.html", context)


@require_GET
@workspace_view()
def persona_one_pager_pdf(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    persona = get_persona(workspace, pk)
    if wait := _too_many_pdfs(request, member=True):
        messages.error(request, f"Too many PDFs in a short time: try again {wait_phrase(wait)}.")
        return see_other(request, reverse("sharing:one_pager", args=[workspace.slug, pk]))
    return _one_pager_pdf(persona)


# --- Shared pages, for anyone with the link ------------------------------------------


def _private(response: HttpResponse) -> HttpResponse:
    """Headers of every answer under /s/: never indexed, cached or referred."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


UNAVAILABLE = {
    "unknown": (404, "This link does not work", "Check that you have the whole link, or ask the person who sent it for a new one."),
    "expired": (410, "This shared link has expired", "Shared links work for a limited time. Ask the person who sent it for a new link."),
    "revoked": (410, "This shared link was withdrawn", "The team that shared it has revoked it. Ask them for a new link if you still need it."),
    "limited": (429, "Too many requests", "This address has opened shared pages very often in a short time. Try again {wait}."),
}  # fmt: skip


def _unavailable(state: str, wait: int | None = None) -> HttpResponse:
    status, title, text = UNAVAILABLE[state]
    text = text.format(wait=wait_phrase(wait or 60))
    html = render_to_string("sharing/unavailable.html", {"title": title, "text": text})
    response = HttpResponse(html, status=status)
    return with_retry_after(response, wait) if wait else response


SharedView = Callable[[HttpRequest, ShareLink, str], HttpResponse]


def shared(view: SharedView) -> Callable[[HttpRequest, str], HttpResponse]:
    """A page under /s/<token>/: open to anyone, rate-limited per client, the
    token resolved by the one lookup, the private headers on every answer."""

    @login_not_required
    @csrf_exempt  # nothing but GET is answered (405), so the 405 carries these headers too
    @wraps(view)
    def page(request: HttpRequest, token: str) -> HttpResponse:
        if request.method != "GET":
            return _private(HttpResponseNotAllowed(["GET"]))
        if wait := _limited(request, "sharing.page", _share_rate):
            return _private(_unavailable("limited", wait))
        try:
            link = services.share_link_for_token(token)
        except services.ShareLinkUnusable as unusable:
            return _private(_unavailable(unusable.state))
        return _private(view(request, link, token))

    return page


def _shared_context(link: ShareLink, request: HttpRequest) -> tuple[str, dict]:
    """The template and context of what a link shows: as bounded as the members'
    pages, "show all" and a persona's lines one plain link away."""
    if link.kind == ShareKind.PERSONA:
        return "sharing/shared_persona.html", {"op": one_pager(link.persona)}
    if link.kind == ShareKind.PLAN:
        return "sharing/shared_plan.html", shared_plan_context(link.plan, request.GET, request.path)
    return "sharing/shared_dashboard.html", shared_dashboard_context(link.plan, request.GET)


@shared
def shared_page(request: HttpRequest, link: ShareLink, token: str) -> HttpResponse:
    template, context = _shared_context(link, request)
    # Rendered without the request: nothing of the visitor's session, nor the
    # app's navigation or messages, can reach the page.
    context |= {"link": link, "workspace": link.workspace, "token": token}
    response = HttpResponse(render_to_string(template, context))
    services.share_view_record(link=link, request=request)
    return response


@shared
def shared_pdf(request: HttpRequest, link: ShareLink, token: str) -> HttpResponse:
    if wait := _too_many_pdfs(request):
        return _unavailable("limited", wait)  # the private headers are added by @shared
    if link.kind == ShareKind.PERSONA:
        response = _one_pager_pdf(link.persona)
    else:
        response = _plan_pdf(link.plan, link.kind, link=link)
    services.share_view_record(link=link, request=request, pdf=True)
    return response


# --- Plans and dashboards as PDFs, for members -----------------------------------------


def _plan_pdf(plan: Plan, kind: str, *, link: ShareLink | None = None) -> HttpResponse:
    """The plan or its dashboard as a PDF: the shared page, printed."""
    if kind == ShareKind.PLAN:
        template, context, name = "sharing/shared_plan.html", shared_plan_context(plan), plan.name
    else:
        template, context = "sharing/shared_dashboard.html", shared_dashboard_context(plan)
        name = f"{plan.name} dashboard"
    context |= {"link": link, "workspace": plan.workspace, "token": None, "pdf": True}
    return pdf_response(template, context, filename=name)


def _member_pdf(
    request: WorkspaceRequest, workspace: Workspace, pk: int, kind: str
) -> HttpResponse:
    plan = get_plan(workspace, pk)
    if wait := _too_many_pdfs(request, member=True):
        messages.error(request, f"Too many PDFs in a short time: try again {wait_phrase(wait)}.")
        return see_other(request, plan.get_absolute_url())
    return _plan_pdf(plan, kind)


@require_GET
@workspace_view()
def plan_pdf(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    return _member_pdf(request, workspace, pk, ShareKind.PLAN)


@require_GET
@workspace_view()
def dashboard_pdf(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    return _member_pdf(request, workspace, pk, ShareKind.DASHBOARD)

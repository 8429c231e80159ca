"""A workspace's team and settings: members, invitations, roles, settings, audit, backup.

Everything here is for owners (``Action.MANAGE``), except leaving, which any
member may do, and accepting an invitation, which needs no account yet.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.forms import SignUpForm
from accounts.models import User
from accounts.ratelimits import client_key, limit_hit, wait_phrase, with_retry_after
from pacekeeper.htmx import form_status, render_page, see_other
from workspaces import backup, invitations, services
from workspaces.access import WorkspaceRequest, workspace_view
from workspaces.audit import audit_events
from workspaces.forms import (
    BackupImportForm,
    InviteForm,
    OpenLinkForm,
    RoleForm,
    WorkspaceDeleteForm,
    WorkspaceSettingsForm,
)
from workspaces.models import Invitation, Membership, Workspace
from workspaces.roles import ROLE_DESCRIPTIONS, Action, Role


def _members_page(
    request: WorkspaceRequest, workspace: Workspace, *, status: int = 200, **extra
) -> HttpResponse:
    members = (
        Membership.objects.filter(workspace=workspace)
        .select_related("user")
        .order_by("user__name", "user__email")
    )
    pending = Invitation.objects.filter(workspace=workspace).pending().select_related("created_by")
    context = {
        "members": members,
        "pending": pending,
        "invite_form": InviteForm(workspace=workspace),
        "link_form": OpenLinkForm(),
        "roles": [(role, Role(role).label, ROLE_DESCRIPTIONS[role]) for role in Role.values],
        **extra,
    }
    return render_page(request, "workspaces/members.html", context, status=status)


def _get_membership(workspace: Workspace, pk: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user"), workspace=workspace, pk=pk)


def _get_invitation(workspace: Workspace, pk: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("workspace"), workspace=workspace, pk=pk
    )


@require_GET
@workspace_view(Action.MANAGE)
def members(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    return _members_page(request, workspace)


@require_POST
@workspace_view(Action.MANAGE)
def invite(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    form = InviteForm(request.POST, workspace=workspace)
    if not form.is_valid():
        return _members_page(request, workspace, status=422, invite_form=form)
    invitation, link = invitations.invitation_create(
        workspace=workspace,
        email=form.cleaned_data["email"],
        role=form.cleaned_data["role"],
        by=request.user,
        request=request,
    )
    # The link is shown once, here: only its hash is stored.
    return _members_page(request, workspace, new_invitation=invitation, new_link=link)


@require_POST
@workspace_view(Action.MANAGE)
def invite_link(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """A link anyone holding it may join through, shown once."""
    form = OpenLinkForm(request.POST)
    if not form.is_valid():
        return _members_page(request, workspace, status=422, link_form=form)
    invitation, link = invitations.open_link_create(
        workspace=workspace,
        role=form.cleaned_data["role"],
        days=form.cleaned_data["days"],
        by=request.user,
        request=request,
    )
    return _members_page(request, workspace, new_invitation=invitation, new_link=link)


@require_POST
@workspace_view(Action.MANAGE)
def invitation_resend(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    invitation = _get_invitation(workspace, pk)
    if invitation.accepted_at or invitation.revoked_at:
        messages.error(request, "This invitation was already used or revoked.")
        return see_other(request, reverse("team:members", args=[workspace.slug]))
    link = invitations.invitation_resend(invitation=invitation, by=request.user, request=request)
    return _members_page(request, workspace, new_invitation=invitation, new_link=link)


@require_http_methods(["GET", "POST"])
@workspace_view(Action.MANAGE)
def invitation_revoke(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """Revoke an invitation or open link, after a confirmation on its own page."""
    invitation = _get_invitation(workspace, pk)
    who = (
        "The link open to anyone"
        if invitation.open_link
        else f"The invitation to {invitation.email}"
    )
    if request.method == "GET":
        context = {"invitation": invitation, "who": who}
        return render_page(request, "workspaces/invitation_revoke.html", context)
    invitations.invitation_revoke(invitation=invitation, by=request.user)
    messages.success(request, f"{who} is revoked: it no longer works.")
    return see_other(request, reverse("team:members", args=[workspace.slug]))


@require_POST
@workspace_view(Action.MANAGE)
def member_role(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    membership = _get_membership(workspace, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _role_refused(request, workspace, membership, "Choose owner, marketer or reviewer.")
    try:
        services.membership_set_role(
            membership=membership, role=form.cleaned_data["role"], by=request.user
        )
    except services.MembershipRefused as refused:
        return _role_refused(request, workspace, membership, str(refused))
    messages.success(request, f"{membership.user} is now {membership.get_role_display().lower()}.")
    return see_other(request, reverse("team:members", args=[workspace.slug]))


def _role_refused(
    request: WorkspaceRequest, workspace: Workspace, membership: Membership, message: str
) -> HttpResponse:
    """The members page again, the refusal beside the member's role, nothing changed."""
    return _members_page(
        request, workspace, status=422, role_error={"pk": membership.pk, "message": message}
    )


@require_http_methods(["GET", "POST"])
@workspace_view(Action.MANAGE)
def member_remove(request: WorkspaceRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """Take a member out of the workspace, after a confirmation on its own page."""
    membership = _get_membership(workspace, pk)
    if request.method == "GET":
        context = {"member": membership, "yourself": membership.user_id == request.user.pk}
        return render_page(request, "workspaces/member_remove.html", context)
    try:
        services.membership_remove(membership=membership, by=request.user)
    except services.MembershipRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"{membership.user} is no longer a member of {workspace.name}.")
        if membership.user_id == request.user.pk:
            return see_other(request, reverse("home"))
    return see_other(request, reverse("team:members", args=[workspace.slug]))


@require_http_methods(["GET", "POST"])
@workspace_view(Action.VIEW)
def leave(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """Leave the workspace, after a confirmation on its own page."""
    if request.method == "GET":
        return render_page(request, "workspaces/leave.html", {})
    try:
        services.membership_remove(membership=request.membership, by=request.user)
    except services.MembershipRefused as refused:
        messages.error(request, str(refused))
        return see_other(request, workspace.get_absolute_url())
    messages.success(request, f"You left {workspace.name}.")
    return see_other(request, reverse("home"))


@require_http_methods(["GET", "POST"])
@workspace_view(Action.MANAGE)
def workspace_settings(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    old_slug = workspace.slug
    form = WorkspaceSettingsForm(request.POST or None, instance=workspace)
    if request.method == "POST" and form.is_valid():
        services.workspace_update_settings(
            workspace=form.save(commit=False), old_slug=old_slug, by=request.user
        )
        messages.success(request, "Workspace settings saved.")
        return see_other(request, reverse("team:settings", args=[workspace.slug]))
    workspace.slug = old_slug  # a refused new address: the page's links keep the one that works
    return render_page(
        request, "workspaces/settings.html", {"form": form}, status=form_status(request, form)
    )


@require_GET
@workspace_view(Action.MANAGE)
def audit(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    return render_page(request, "workspaces/audit.html", {"events": audit_events(workspace)})


@require_http_methods(["GET", "POST"])
@workspace_view(Action.MANAGE)
def workspace_delete(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    form = WorkspaceDeleteForm(request.POST or None, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        name = workspace.name
        services.workspace_delete(workspace=workspace, by=request.user)
        messages.success(request, f"{name} and everything in it is deleted for good.")
        return see_other(request, reverse("home"))
    return render_page(
        request, "workspaces/delete.html", {"form": form}, status=form_status(request, form)
    )


@require_GET
@workspace_view(Action.MANAGE)
def backup_export(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """Everything in the workspace as one JSON file, to keep or to import elsewhere."""
    try:
        document = backup.workspace_export(workspace)
    except backup.BackupRefused as refused:
        messages.error(request, str(refused))
        return see_other(request, reverse("team:settings", args=[workspace.slug]))
    response = HttpResponse(
        backup.document_to_json(document), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{workspace.slug}-backup.json"'
    return response


@require_http_methods(["GET", "POST"])
@workspace_view(Action.MANAGE)
def backup_import(request: WorkspaceRequest, workspace: Workspace) -> HttpResponse:
    """A backup becomes a new workspace, with the person importing it as an owner."""
    if request.method != "POST":
        return render_page(request, "workspaces/backup_import.html", {"form": BackupImportForm()})
    form = BackupImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            imported = backup.workspace_import(
                form.document,
                slug=form.cleaned_data["slug"],
                name=form.cleaned_data["name"] or None,
                by=request.user,
                restore_members=False,
            )
        except backup.BackupRefused as refused:
            form.add_error("slug" if refused.about == "slug" else "file", str(refused))
        else:
            messages.success(
                request,
                f"{imported.name} is imported from the backup "
                f"({backup.backup_summary(form.document)}). You are its owner: invite the team "
                "from the members page.",
            )
            return see_other(request, imported.get_absolute_url())
    return render_page(request, "workspaces/backup_import.html", {"form": form}, status=422)


INVITATION_STATUS = {"unknown": 404, "other_address": 403, "limited": 429}


def _unusable(
    request: HttpRequest,
    state: str,
    *,
    invitation: Invitation | None = None,
    wait: float | None = None,
) -> HttpResponse:
    """Why the invitation link does not work here, and what to do instead."""
    context = {"state": state, "wait": wait_phrase(wait) if wait else ""}
    if invitation is not None and state == "other_address":
        context |= {"invitation": invitation, "invited": _masked(invitation.email)}
    response = render(
        request,
        "workspaces/invitation_unusable.html",
        context,
        status=INVITATION_STATUS.get(state, 410),
    )
    return with_retry_after(response, wait) if wait else response


def _masked(email: str) -> str:
    """``n…@example.com``: enough for the person invited to know it is theirs."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}…@{domain}"


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: join as the signed-in user, or sign up first. An
    invitation to an address works only for that address's account."""
    wait = limit_hit(
        request, "workspaces.invitation", client_key(request), settings.INVITATION_RATE_LIMIT
    )
    if wait:
        return _unusable(request, "limited", wait=wait)
    try:
        invitation = invitations.invitation_for_token(token)
    except invitations.InvitationUnusable as unusable:
        return _unusable(request, unusable.state)
    signed_in = request.user.is_authenticated
    if signed_in and not invitations.is_for(invitation, request.user):
        return _unusable(request, "other_address", invitation=invitation)
    existing = None
    if not invitation.open_link:
        existing = User.objects.filter(email__iexact=invitation.email).first()
    invited = None if invitation.open_link else invitation.email
    if request.method == "POST":
        return _accept(request, token, invitation, existing, invited)
    signup = None if signed_in or existing else SignUpForm(email=invited)
    return render(
        request,
        "workspaces/invitation_accept.html",
        {"invitation": invitation, "signup": signup, "existing": existing},
    )


def _accept(
    request: HttpRequest,
    token: str,
    invitation: Invitation,
    existing: User | None,
    invited: str | None,
) -> HttpResponse:
    if request.user.is_authenticated:
        user = request.user
    elif existing is None:
        signup = SignUpForm(request.POST, email=invited)
        if not signup.is_valid():
            context = {"invitation": invitation, "signup": signup, "existing": existing}
            return render(request, "workspaces/invitation_accept.html", context, status=422)
        user = User.objects.create_user(
            signup.email, signup.cleaned_data["password1"], name=signup.cleaned_data["name"]
        )
    else:
        return see_other(request, f"{reverse('accounts:login')}?next={request.path}")
    try:
        membership = invitations.invitation_accept(token=token, user=user)
    except invitations.InvitationUnusable as unusable:
        return _unusable(request, unusable.state, invitation=unusable.invitation)
    if not request.user.is_authenticated:
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    messages.success(
        request,
        f"Welcome to {membership.workspace.name}. You are {membership.get_role_display().lower()}.",
    )
    return see_other(request, membership.workspace.get_absolute_url())

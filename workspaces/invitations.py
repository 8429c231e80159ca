"""Invitations: single-use, expiring links, of which only a hash is stored."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.tokens import secret_hash, secret_lookup, secret_new
from workspaces.models import Invitation, Membership, Workspace
from workspaces.registry import invitation_accepted

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User

VALID_FOR = timedelta(days=7)


class InvitationUnusable(Exception):
    """The link is unknown, altered, expired, used or revoked; ``state`` says which."""

    def __init__(self, state: str, invitation: Invitation | None = None) -> None:
        super().__init__(state)
        self.state = state
        self.invitation = invitation


def _new_token(invitation: Invitation, valid_for: timedelta = VALID_FOR) -> str:
    token = secret_new()
    invitation.token_hash = secret_hash(token)
    invitation.expires_at = timezone.now() + valid_for
    return token


def is_for(invitation: Invitation, user: User) -> bool:
    """Whether ``user`` may use the invitation: anyone for an open link, else
    only the account of the address invited."""
    return invitation.open_link or user.email.strip().lower() == invitation.email.lower()


def invitation_link(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("invitation_accept", args=[token]))


@transaction.atomic
def invitation_create(
    *, workspace: Workspace, email: str, role: str, by: User, request: HttpRequest
) -> tuple[Invitation, str]:
    """Create an invitation for one address and e-mail its link. Returns the
    invitation and the link, which is shown once: only its hash is kept."""
    invitation = Invitation(
        workspace=workspace, email=email.strip().lower(), role=role, created_by=by
    )
    token = _new_token(invitation)
    invitation._history_user = by
    invitation.save()
    link = invitation_link(request, token)
    _send(invitation, link, by)
    return invitation, link


@transaction.atomic
def open_link_create(
    *, workspace: Workspace, role: str, days: int, by: User, request: HttpRequest
) -> tuple[Invitation, str]:
    """A link anyone holding it may join through, as ``role``, for ``days`` days.
    Nothing is e-mailed: the owner passes the link on."""
    invitation = Invitation(workspace=workspace, open_link=True, role=role, created_by=by)
    token = _new_token(invitation, timedelta(days=days))
    invitation._history_user = by
    invitation.save()
    return invitation, invitation_link(request, token)


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: User, request: HttpRequest) -> str:
    """A fresh link (the old one stops working) with a fresh week, e-mailed
    again; an open link gets as long as it was first given, and no e-mail."""
    valid_for = invitation.expires_at - invitation.created_at if invitation.open_link else VALID_FOR
    token = _new_token(invitation, valid_for)
    invitation._history_user = by
    invitation.save(update_fields=["token_hash", "expires_at"])
    link = invitation_link(request, token)
    if not invitation.open_link:
        _send(invitation, link, by)
    return link


def invitation_revoke(*, invitation: Invitation, by: User) -> None:
    invitation.revoked_at = timezone.now()
    invitation._history_user = by
    invitation.save(update_fields=["revoked_at"])


def _send(invitation: Invitation, link: str, by: User) -> None:
    context = {"invitation": invitation, "link": link, "by": by, "days": VALID_FOR.days}
    send_mail(
        subject=f"{by.display_name} invites you to {invitation.workspace.name} on Pacekeeper",
        message=render_to_string("workspaces/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )


def invitation_for_token(token: str) -> Invitation:
    """The usable invitation behind a token. An unknown or altered token and a
    guessed one all raise the same "unknown" state."""
    invitation = secret_lookup(Invitation.objects.select_related("workspace", "created_by"), token)
    if invitation is None:
        raise InvitationUnusable("unknown")
    if invitation.state != "pending":
        raise InvitationUnusable(invitation.state, invitation)
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """Use the invitation: add ``user`` to its workspace (only that workspace),
    once, and only if it was sent to ``user``'s address (state "other_address"
    otherwise: it stays valid for the person invited). An open link adds
    anyone, and stays valid. The claim is one UPDATE, so two clicks cannot
    both succeed."""
    invitation = invitation_for_token(token)
    if not is_for(invitation, user):
        raise InvitationUnusable("other_address", invitation)
    if invitation.open_link:
        return _join_through_link(invitation, user)
    claimed = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(accepted_at=timezone.now(), accepted_by=user)
    if not claimed:
        raise InvitationUnusable("accepted", invitation)
    invitation.refresh_from_db()
    invitation._history_user = user
    invitation.save(
        update_fields=["accepted_at", "accepted_by"]
    )  # records the acceptance in history
    membership, created = Membership.objects.get_or_create(
        workspace=invitation.workspace, user=user, defaults={"role": invitation.role}
    )
    if created:
        membership._history_user = user
        invitation_accepted(membership=membership, invitation=invitation)
    return membership


def _join_through_link(invitation: Invitation, user: User) -> Membership:
    membership, created = Membership.objects.get_or_create(
        workspace=invitation.workspace, user=user, defaults={"role": invitation.role}
    )
    if created:
        membership._history_user = user
        Invitation.objects.filter(pk=invitation.pk).update(joined=F("joined") + 1)
    return membership

"""Share links: created, looked up by token, counted, revoked.

Every lookup by token goes through ``share_link_for_token``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.throttling import client_address
from accounts.tokens import secret_hash, secret_lookup, secret_new
from personas.models import Persona
from planning.models import Plan
from sharing.models import ShareKind, ShareLink, ShareState, ShareView
from workspaces.models import Workspace

if TYPE_CHECKING:
    from accounts.models import User

DEFAULT_EXPIRY_DAYS = 30


class ShareLinkUnusable(Exception):
    """The token names no link (``"unknown"``), or a link that expired or was revoked."""

    def __init__(self, state: str, link: ShareLink | None = None) -> None:
        super().__init__(state)
        self.state = state
        self.link = link


def share_link_create(
    *,
    workspace: Workspace,
    kind: str,
    target: Persona | Plan,
    by: User,
    expires_in_days: int | None = DEFAULT_EXPIRY_DAYS,
    note: str = "",
) -> tuple[ShareLink, str]:
    """A new link and its token. The token is returned once: only its hash is kept."""
    if target.workspace_id != workspace.pk:
        raise ValueError("A share link points into its own workspace only.")
    token = secret_new()
    link = ShareLink(
        workspace=workspace,
        kind=kind,
        token_hash=secret_hash(token),
        note=note.strip(),
        created_by=by,
        expires_at=timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    if kind == ShareKind.PERSONA:
        link.persona = target
    else:
        link.plan = target
    link.save()
    return link, token


def share_link_revoke(*, link: ShareLink, by: User) -> bool:
    """Revoke the link; False when it already was."""
    revoked = ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    link.refresh_from_db(fields=["revoked_at", "revoked_by"])
    return bool(revoked)


def share_link_for_token(token: str) -> ShareLink:
    """The usable link behind a token, with its workspace and target loaded.

    An unknown, altered or guessed token raises ``ShareLinkUnusable("unknown")``;
    a known one that expired or was revoked raises with that state. The target
    is read through the link's own workspace, so a link never shows another
    workspace's data."""
    link = secret_lookup(ShareLink.objects.select_related("workspace"), token)
    if link is None:
        raise ShareLinkUnusable("unknown")
    if link.state != ShareState.ACTIVE:
        raise ShareLinkUnusable(link.state, link)
    workspace = link.workspace
    if link.kind == ShareKind.PERSONA:
        target = Persona.objects.in_workspace(workspace).filter(pk=link.persona_id).first()
        link.persona = target
    else:
        target = Plan.objects.in_workspace(workspace).filter(pk=link.plan_id).first()
        link.plan = target
    if target is None:
        raise ShareLinkUnusable("unknown")
    return link


def client_fingerprint(link: ShareLink, request: HttpRequest) -> str:
    """The client's address as a keyed hash, salted per link: views of one link
    can be told apart, but neither the address nor a visitor across links can be
    recovered."""
    value = f"{link.pk}:{client_address(request)}"
    return salted_hmac("pacekeeper.sharing.view", value, algorithm="sha256").hexdigest()


def share_view_record(*, link: ShareLink, request: HttpRequest, pdf: bool = False) -> None:
    now = timezone.now()
    ShareView.objects.create(
        workspace_id=link.workspace_id,
        link=link,
        viewed_at=now,
        client_hash=client_fingerprint(link, request),
        pdf=pdf,
    )
    ShareLink.objects.filter(pk=link.pk).update_bookkeeping(
        view_count=F("view_count") + 1, last_viewed_at=now
    )

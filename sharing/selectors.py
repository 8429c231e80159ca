"""Share links as the settings page lists them: owners see every link of the
workspace, everyone else only their own."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from sharing.models import ShareLink, ShareLinkQuerySet, ShareView
from workspaces.models import Membership
from workspaces.roles import Action


def visible_links(membership: Membership) -> ShareLinkQuerySet:
    """The links this member may see and revoke: all for owners, else their own."""
    links = ShareLink.objects.in_workspace(membership.workspace)
    if not membership.can(Action.MANAGE):
        links = links.filter(created_by=membership.user_id)
    return links


def listed_links(membership: Membership, *, ended: bool = False) -> ShareLinkQuerySet:
    """Active (or ended: expired and revoked) links, newest first, with their
    objects, people and distinct visitors. One query per page."""
    now = timezone.now()
    active = Q(revoked_at__isnull=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    visitors = (
        ShareView.objects.filter(link=OuterRef("pk"))
        .order_by()
        .values("link")
        .annotate(n=Count("client_hash", distinct=True))
        .values("n")
    )
    return (
        visible_links(membership)
        .filter(~active if ended else active)
        .select_related("persona", "plan", "created_by", "revoked_by")
        .annotate(visitors=Coalesce(Subquery(visitors, output_field=IntegerField()), 0))
        .order_by("-created_at", "-pk")
    )


def get_share_link(membership: Membership, pk: int) -> ShareLink:
    """A link this member may see, or 404."""
    return visible_links(membership).select_related("persona", "plan").get_or_404(pk=pk)

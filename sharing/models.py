"""Read-only links for people without an account, and the views they get.

A share link points at one persona (as its one-pager), one plan, or one plan's
dashboard. Only a hash of its token is stored (``accounts.tokens``): the link
is shown once, to the person who creates it. Each view is kept with its time
and a salted hash of the client's address, never the address itself.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from personas.models import Persona
from planning.models import Plan
from workspaces.models import TenantModel, TenantQuerySet, person_link


class ShareKind(models.TextChoices):
    PERSONA = "persona", "Persona one-pager"
    PLAN = "plan", "Plan"
    DASHBOARD = "dashboard", "Plan dashboard"


class ShareState(models.TextChoices):
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"


class ShareLinkQuerySet(TenantQuerySet):
    def active(self) -> ShareLinkQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ShareLink(TenantModel):
    """A read-only, expiring, revocable link to a persona, a plan or a dashboard."""

    kind = models.CharField(max_length=10, choices=ShareKind.choices)
    persona = models.ForeignKey(
        Persona, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    note = models.CharField(
        max_length=120,
        blank=True,
        help_text="Who it is for, so you know it again in the list: “Sales team”, “ACME board”.",
    )
    created_by = person_link(blank=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: until revoked.")
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = person_link()
    view_count = models.PositiveIntegerField(default=0, editable=False)
    last_viewed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["workspace", "created_by", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=ShareKind.PERSONA, persona__isnull=False, plan__isnull=True)
                | models.Q(
                    kind__in=[ShareKind.PLAN, ShareKind.DASHBOARD],
                    plan__isnull=False,
                    persona__isnull=True,
                ),
                name="sharelink_target_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.target_name}"

    @property
    def target(self) -> Persona | Plan:
        return self.persona if self.kind == ShareKind.PERSONA else self.plan

    @property
    def target_name(self) -> str:
        target = self.target
        return target.name if target is not None else ""

    @property
    def state(self) -> ShareState:
        if self.revoked_at is not None:
            return ShareState.REVOKED
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return ShareState.EXPIRED
        return ShareState.ACTIVE

    @property
    def is_active(self) -> bool:
        return self.state == ShareState.ACTIVE


class ShareView(TenantModel):
    """One view of a shared page or PDF: when, and who only as a salted hash."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="views")
    viewed_at = models.DateTimeField(default=timezone.now)
    client_hash = models.CharField(max_length=64)
    pdf = models.BooleanField(default=False)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-viewed_at", "-pk"]
        indexes = [models.Index(fields=["workspace", "link", "viewed_at"])]

    def __str__(self) -> str:
        return f"View of {self.link_id} at {self.viewed_at:%Y-%m-%d %H:%M}"

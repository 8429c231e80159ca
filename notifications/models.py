"""What people are told, and how each of them wants to be told."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from notifications.kinds import Delivery, Kind
from workspaces.models import TenantModel, person_link


class Notification(TenantModel):
    """One thing one member is told: in their inbox, by e-mail, or both.

    ``key`` names the event (a plan's submission, a signal), so the same
    event never reaches the same person twice, however often its task runs."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=2000, blank=True)
    url = models.CharField(max_length=300, blank=True)  # the object it is about
    actor = person_link()
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=False)
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "recipient", "-created_at"], name="inbox_recent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "recipient", "key"], name="notification_once_per_event"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=Kind.values), name="notification_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inbox:open", args=[self.workspace.slug, self.pk])


class Preference(models.Model):
    """How one person wants to hear of one kind; no row means the default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind"),
            models.CheckConstraint(
                condition=models.Q(kind__in=Kind.values), name="preference_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(delivery__in=Delivery.values), name="preference_delivery_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} — {self.get_delivery_display()}"


class SignalSeen(TenantModel):
    """A pressing signal already announced: each is told once, however long it lasts."""

    key = models.CharField(max_length=200)
    seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="signal_seen_once"),
        ]

    def __str__(self) -> str:
        return self.key


class Clock(models.Model):
    """When the periodic work (digests, signals) runs next: one row, so one chain of ticks."""

    name = models.CharField(max_length=40, unique=True)
    next_run = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.next_run:%Y-%m-%d %H:%M}"

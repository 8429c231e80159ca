from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from personas.models import Persona
from workspaces.models import TenantModel, VersionedModel, Workspace, person_link


class Category(models.TextChoices):
    SOCIAL = "social"
    SEARCH = "search"
    EMAIL = "email", "E-mail"
    CONTENT = "content"
    EVENTS = "events"
    PAID = "paid"
    COMMUNITY = "community"
    PARTNER = "partner"
    DIRECT = "direct"
    OTHER = "other"


class Stage(models.TextChoices):
    CORE = "core"
    EMERGING = "emerging"


class Trend(models.TextChoices):
    RISING = "rising"
    STEADY = "steady"
    DECLINING = "declining"


class Evidence(models.TextChoices):
    SURVEY = "survey"
    ANALYTICS = "analytics"
    INTERVIEWS = "interviews"
    SALES = "sales", "Sales conversations"
    ASSUMPTION = "assumption"
    EXPERIMENT = "experiment"


class Channel(TenantModel):
    """A channel in the workspace's catalog: LinkedIn, the newsletter, a trade show."""

    name = models.CharField(max_length=80)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    description = models.TextField(max_length=1000, blank=True)
    # Archived: out of the catalog, the pickers and new plans; back on restore.
    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                "workspace", Lower("name"), name="channel_name_unique_per_workspace_ci"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("channels:detail", args=[self.workspace.slug, self.pk])


class ChannelUsage(VersionedModel):
    """A persona uses a channel today: how much, whether core or emerging, and how sure we are."""

    persona = models.ForeignKey(Persona, on_delete=models.CASCADE, related_name="usages")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="usages")
    share = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="A weight: the mix is shown normalised to 100%.",
    )
    stage = models.CharField(
        max_length=10,
        choices=Stage.choices,
        default=Stage.CORE,
        help_text="Core: where they are (funded from the present share). "
        "Emerging: seen and growing (funded through experiments).",
    )
    trend = models.CharField(max_length=10, choices=Trend.choices, default=Trend.STEADY)
    evidence = models.CharField(
        max_length=12, choices=Evidence.choices, default=Evidence.ASSUMPTION
    )
    last_verified = models.DateField(default=timezone.localdate)
    notes = models.TextField(max_length=1000, blank=True)
    # Archived: out of the persona's mix and of new plans; back on restore.
    archived = models.BooleanField(default=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    # The fields whose every change is kept as a dated observation.
    OBSERVED = ("share", "stage", "trend")

    class Meta:
        ordering = ["-share", "pk"]
        indexes = [models.Index(fields=["workspace", "persona"])]
        constraints = [
            models.UniqueConstraint(fields=["persona", "channel"], name="usage_unique_per_persona"),
            models.CheckConstraint(
                condition=models.Q(share__gte=0), name="usage_share_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.persona} on {self.channel}"

    def is_stale_for(self, workspace: Workspace) -> bool:
        return timezone.localdate() - self.last_verified > timedelta(
            days=workspace.stale_after_days
        )


class UsageObservation(TenantModel):
    """A dated change of a usage's share, stage or trend (old and new values)."""

    usage = models.ForeignKey(ChannelUsage, on_delete=models.CASCADE, related_name="observations")
    observed_on = models.DateField(default=timezone.localdate)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = person_link(editable=True)
    share_before = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    share = models.DecimalField(max_digits=8, decimal_places=2)
    stage_before = models.CharField(max_length=10, choices=Stage.choices, blank=True)
    stage = models.CharField(max_length=10, choices=Stage.choices)
    trend_before = models.CharField(max_length=10, choices=Trend.choices, blank=True)
    trend = models.CharField(max_length=10, choices=Trend.choices)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["observed_on", "recorded_at", "pk"]
        indexes = [models.Index(fields=["workspace", "usage", "observed_on"])]

    def __str__(self) -> str:
        return f"{self.usage} on {self.observed_on}: {self.share_before} → {self.share}"

    @property
    def changes(self) -> list[str]:
        out = []
        if self.share_before is None:
            return [
                f"added at share {self.share.normalize():f} ({self.get_stage_display().lower()})"
            ]
        if self.share_before != self.share:
            out.append(f"share {self.share_before.normalize():f} → {self.share.normalize():f}")
        if self.stage_before != self.stage:
            out.append(f"{self.stage_before} → {self.stage}")
        if self.trend_before != self.trend:
            out.append(f"{self.trend_before} → {self.trend}")
        return out


def get_channel(workspace: Workspace, pk: int) -> Channel:
    return Channel.objects.in_workspace(workspace).get_or_404(pk=pk)


def get_usage(workspace: Workspace, pk: int) -> ChannelUsage:
    return (
        ChannelUsage.objects.in_workspace(workspace)
        .select_related("persona", "channel", "updated_by")
        .get_or_404(pk=pk)
    )

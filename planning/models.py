from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from channels.models import Channel
from experiments.models import Experiment
from personas.models import Persona
from planning.allocation import Bucket, LineKind
from workspaces.models import (
    PERCENT,
    TenantModel,
    VersionedModel,
    Workspace,
    person_link,
)


class PlanStatus(models.TextChoices):
    DRAFT = "draft"
    IN_REVIEW = "in_review", "In review"
    RETURNED = "returned"
    APPROVED = "approved"


# Draft-like statuses: the plan can be edited and submitted.
EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)


class Plan(VersionedModel):
    """A period's effort, split between where personas are and where they are going."""

    name = models.CharField(max_length=120)
    start = models.DateField()
    end = models.DateField()
    total_effort = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        help_text="In the workspace's effort unit.",
    )
    present_share = models.PositiveSmallIntegerField(
        "present share",
        null=True,
        blank=True,
        validators=PERCENT,
        help_text="Percent spent where personas are today. Empty: the workspace default.",
    )
    balanced = models.BooleanField(
        "balanced to the headline",
        default=False,
        help_text="The personas that follow the plan's ratio are adjusted so the whole plan "
        "allocates exactly its headline split.",
    )
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = person_link()
    # Archived: out of the plan list and the pickers, unchanged; back on restore.
    archived = models.BooleanField(default=False)
    copied_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        editable=False,
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-start", "-pk"]
        indexes = [models.Index(fields=["workspace", "status", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="plan_end_not_before_start"
            ),
            models.CheckConstraint(
                condition=models.Q(total_effort__gte=0), name="plan_total_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(present_share__isnull=True) | models.Q(present_share__lte=100),
                name="plan_present_share_max_100",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("planning:plan_detail", args=[self.workspace.slug, self.pk])

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "The plan cannot end before it starts."})

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_frozen(self) -> bool:
        return self.status == PlanStatus.APPROVED

    @property
    def effective_present_share(self) -> int:
        if self.present_share is not None:
            return self.present_share
        return self.workspace.default_present_share

    @property
    def effective_future_share(self) -> int:
        return 100 - self.effective_present_share


class PlanPersona(TenantModel):
    """A persona in a plan, with its weight and an optional present-share override."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="members")
    persona = models.ForeignKey(Persona, on_delete=models.CASCADE, related_name="plan_memberships")
    weight = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Default: the persona's priority.",
    )
    present_share_override = models.PositiveSmallIntegerField(
        "present share in this plan", null=True, blank=True, validators=PERCENT
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["persona__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "persona"], name="plan_persona_unique"),
            models.CheckConstraint(
                condition=models.Q(weight__gte=0), name="plan_persona_weight_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.persona} in {self.plan}"


class PlanLine(TenantModel):
    """An approved plan's allocation, stored: later edits of personas, channels or
    experiments never change it. Names are kept so the line outlives its objects."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="lines")
    persona = models.ForeignKey(
        Persona, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    persona_name = models.CharField(max_length=100)
    persona_weight = models.DecimalField(max_digits=6, decimal_places=2)
    persona_present_share = models.DecimalField(max_digits=5, decimal_places=2)
    persona_share_source = models.CharField(max_length=20)
    bucket = models.CharField(max_length=10, choices=[(b.value, b.label) for b in Bucket])
    kind = models.CharField(max_length=12, choices=[(k.value, k.label) for k in LineKind])
    channel = models.ForeignKey(
        Channel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel_name = models.CharField(max_length=80, blank=True)
    experiment = models.ForeignKey(
        Experiment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    experiment_name = models.CharField(max_length=120, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["workspace", "plan"])]

    def __str__(self) -> str:
        return f"{self.persona_name}: {self.bucket} {self.channel_name or self.experiment_name or self.kind} {self.amount}"


class ReviewAction(models.TextChoices):
    CREATED = "created", "created the plan"
    SUBMITTED = "submitted", "submitted it for review"
    APPROVED = "approved", "approved it"
    RETURNED = "returned", "returned it"


class ReviewStep(TenantModel):
    """One step of a plan's review: who, when, what, and why."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="review_steps")
    action = models.CharField(max_length=12, choices=ReviewAction.choices)
    user = person_link(editable=True)
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display()} ({self.plan})"


def get_plan(workspace: Workspace, pk: int) -> Plan:
    return (
        Plan.objects.in_workspace(workspace)
        .select_related("updated_by", "approved_by", "copied_from")
        .get_or_404(pk=pk)
    )


class Actual(VersionedModel):
    """Effort actually spent: on a channel (where they are) or an experiment
    (where they are going), optionally for one persona."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actuals")
    date = models.DateField()
    # Deleting a channel or an experiment for good takes its actuals with it
    # (the confirmation page says how many); merging channels moves them.
    channel = models.ForeignKey(
        Channel, null=True, blank=True, on_delete=models.CASCADE, related_name="actuals"
    )
    experiment = models.ForeignKey(
        Experiment, null=True, blank=True, on_delete=models.CASCADE, related_name="actuals"
    )
    persona = models.ForeignKey(
        Persona, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    note = models.CharField(max_length=500, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["workspace", "plan", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(channel__isnull=False) & models.Q(experiment__isnull=True))
                | (models.Q(channel__isnull=True) & models.Q(experiment__isnull=False)),
                name="actual_channel_xor_experiment",
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="actual_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} on {self.channel or self.experiment} ({self.date})"

    @property
    def bucket(self) -> Bucket:
        return Bucket.PRESENT if self.channel_id else Bucket.FUTURE

    @property
    def target_name(self) -> str:
        return str(self.channel or self.experiment)


class SignalMode(models.TextChoices):
    """How long a dashboard signal stays out of sight."""

    DISMISSED = "dismissed", "Dismissed"
    SNOOZE_30 = "snooze-30", "Snoozed for 30 days"
    SNOOZE_90 = "snooze-90", "Snoozed for 90 days"
    UNTIL_CHANGED = "until-changed", "Until its data changes"


SNOOZE_DAYS = {SignalMode.SNOOZE_30: 30, SignalMode.SNOOZE_90: 90}


class SignalDismissal(TenantModel):
    """A dashboard signal set aside by a marketer or an owner, named by the
    signal's stable key: for good, for 30 or 90 days, or until the figures it
    is about change (``fingerprint``). Restoring it deletes the row; history
    keeps who dismissed and restored what."""

    key = models.CharField(max_length=200)
    kind = models.CharField(max_length=30)
    text = models.CharField("signal", max_length=500)  # the sentence it said then
    mode = models.CharField(max_length=20, choices=SignalMode.choices)
    until = models.DateTimeField("snoozed until", null=True, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    by = person_link()
    at = models.DateTimeField("dismissed at", default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="signal_dismissal_unique_key")
        ]

    def __str__(self) -> str:
        return self.text

    def holds(self, fingerprint: str, now) -> bool:
        """Whether the signal stays out of sight: a snooze until its day, a
        data-bound dismissal while the signal's figures are the same."""
        if self.mode == SignalMode.UNTIL_CHANGED:
            return fingerprint == self.fingerprint
        if self.until is not None:
            return now < self.until
        return True

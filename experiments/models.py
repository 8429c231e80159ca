from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import functions  # noqa: F401  (models.functions)
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from channels.models import Channel
from personas.models import Persona
from workspaces.models import TenantModel, TenantQuerySet, VersionedModel, Workspace, person_link

ICE = [MinValueValidator(1), MaxValueValidator(10)]


class Kind(models.TextChoices):
    CHANNEL = "channel", "New channel"
    CAPABILITY = "capability", "New capability or theme"
    FORMAT = "format", "New format or message"


class Status(models.TextChoices):
    IDEA = "idea"
    PLANNED = "planned"
    RUNNING = "running"
    CONCLUDED = "concluded"


class Outcome(models.TextChoices):
    ADOPT = "adopt"
    ITERATE = "iterate"
    DROP = "drop"


# The moves the board allows: one step forward, or one step back before the end.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.IDEA: (Status.PLANNED,),
    Status.PLANNED: (Status.IDEA, Status.RUNNING),
    Status.RUNNING: (Status.PLANNED, Status.CONCLUDED),
    Status.CONCLUDED: (),
}

# Experiments that take a share of the exploration budget in a plan.
FUNDED = (Status.PLANNED, Status.RUNNING)

# Concluded experiments fold away on the board this long (about a quarter) after they ended.
FOLD_AFTER = timedelta(days=92)


def concluded_long_ago() -> models.Q:
    """Concluded experiments that ended more than a quarter ago: by their end
    date, or without one by when they were concluded, or else last changed."""
    before = timezone.now() - FOLD_AFTER
    return models.Q(status=Status.CONCLUDED) & (
        models.Q(end_date__lt=timezone.localdate() - FOLD_AFTER)
        | models.Q(end_date__isnull=True, concluded_at__lt=before)
        | models.Q(end_date__isnull=True, concluded_at__isnull=True, updated_at__lt=before)
    )


def meets_target(value: Decimal | None, target: Decimal, higher_is_better: bool) -> bool:
    """Whether a result reaches the target, in the metric's good direction."""
    if value is None:
        return False
    return value >= target if higher_is_better else value <= target


def progress_to_target(value: Decimal | None, baseline: Decimal, target: Decimal) -> Decimal | None:
    """How far from baseline to target a result has come, 0–100 (None without results)."""
    if value is None:
        return None
    span = target - baseline
    if span == 0:
        return Decimal(100)
    done = (value - baseline) * 100 / span
    return max(Decimal(0), min(Decimal(100), done))


class ExperimentQuerySet(TenantQuerySet):
    def with_latest_result(self) -> ExperimentQuerySet:
        results = ExperimentResult.objects.filter(experiment=models.OuterRef("pk"))
        latest = results.order_by("-date", "-pk")
        count = results.order_by().values("experiment").annotate(n=models.Count("pk")).values("n")
        return self.annotate(
            latest_value=models.Subquery(latest.values("value")[:1]),
            latest_date=models.Subquery(latest.values("date")[:1]),
            result_count=models.functions.Coalesce(models.Subquery(count), 0),
        )

    def top_per_status(self, ordering: list, per_status: int) -> ExperimentQuerySet:
        """The first ``per_status`` of each status in ``ordering``, those concluded
        long ago last. Each row knows its status's count (``status_total``) and
        how many of them concluded long ago (``status_folded``): one query."""
        lane = [models.F("status")]
        folded = models.Case(
            models.When(concluded_long_ago(), then=models.Value(1)),
            default=models.Value(0),
            output_field=models.IntegerField(),
        )
        return (
            self.annotate(folded=folded)
            .annotate(
                status_rank=models.Window(
                    models.functions.RowNumber(),
                    partition_by=lane,
                    order_by=[models.F("folded").asc(), *ordering],
                ),
                status_total=models.Window(models.Count("pk"), partition_by=lane),
                status_folded=models.Window(models.Sum("folded"), partition_by=lane),
            )
            .filter(status_rank__lte=per_status)
        )

    def for_listing(self, workspace: Workspace) -> ExperimentQuerySet:
        """The workspace's experiments with their latest result, channel, owner
        and target personas (sorted by name): three queries, however many."""
        return (
            self.in_workspace(workspace)
            .with_latest_result()
            .select_related("channel", "owner")
            .prefetch_related(
                models.Prefetch(
                    "targets",
                    queryset=ExperimentTarget.objects.in_workspace(workspace)
                    .select_related("persona")
                    .order_by("persona__name"),
                )
            )
        )


def ice_average(impact: int, confidence: int, ease: int) -> Decimal:
    total = Decimal(impact + confidence + ease) / 3
    return total.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def effective_weight(weight: Decimal | None, impact: int, confidence: int, ease: int) -> Decimal:
    """An experiment's weight in a plan: its own, or its ICE average."""
    return weight if weight is not None else ice_average(impact, confidence, ease)


class Experiment(VersionedModel):
    """A bet on where personas are going: a hypothesis with a metric and a target."""

    title = models.CharField(max_length=120)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CHANNEL)
    channel = models.ForeignKey(
        Channel, null=True, blank=True, on_delete=models.SET_NULL, related_name="experiments"
    )
    personas = models.ManyToManyField(
        Persona,
        through="ExperimentTarget",
        related_name="experiments",
        verbose_name="target personas",
    )
    hypothesis = models.TextField(max_length=1000, blank=True)
    metric = models.CharField("metric name", max_length=120, blank=True)
    baseline = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    target = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    higher_is_better = models.BooleanField(
        "higher is better",
        default=True,
        help_text="Untick when the metric should go down (cost per lead).",
    )
    impact = models.PositiveSmallIntegerField(default=5, validators=ICE)
    confidence = models.PositiveSmallIntegerField(default=5, validators=ICE)
    ease = models.PositiveSmallIntegerField(default=5, validators=ICE)
    weight = models.DecimalField(
        "weight in the exploration budget",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Empty: the ICE average.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.IDEA)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    owner = person_link(editable=True)
    learnings = models.TextField(max_length=2000, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True, editable=False)
    graduated_at = models.DateTimeField("graduated", null=True, blank=True, editable=False)
    # Archived: off the board, the pickers and new plans; back on restore.
    archived = models.BooleanField(default=False)

    objects = ExperimentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-updated_at", "pk"]
        indexes = [models.Index(fields=["workspace", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(impact__gte=1, impact__lte=10)
                & models.Q(confidence__gte=1, confidence__lte=10)
                & models.Q(ease__gte=1, ease__lte=10),
                name="experiment_ice_1_10",
            ),
            models.CheckConstraint(
                condition=models.Q(status="concluded", outcome__in=["adopt", "iterate", "drop"])
                | (~models.Q(status="concluded") & models.Q(outcome="")),
                name="experiment_outcome_iff_concluded",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="experiment_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("experiments:detail", args=[self.workspace.slug, self.pk])

    def clean(self) -> None:
        # Status and outcome move together through the services (and a database
        # constraint); the dates are the rule a form can break.
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date cannot be before the start date."})

    @property
    def ice_average(self) -> Decimal:
        return ice_average(self.impact, self.confidence, self.ease)

    @property
    def effective_weight(self) -> Decimal:
        return effective_weight(self.weight, self.impact, self.confidence, self.ease)

    @property
    def allowed_moves(self) -> tuple[str, ...]:
        return TRANSITIONS[self.status]

    @property
    def move_choices(self) -> list[tuple[str, str, bool]]:
        """(status, label, forward) for each allowed move, backward moves first."""
        order = list(Status.values)
        here = order.index(self.status)
        return [
            (status, Status(status).label, order.index(status) > here)
            for status in self.allowed_moves
        ]

    # Needs ``with_latest_result()``.
    @property
    def target_met(self) -> bool:
        return meets_target(getattr(self, "latest_value", None), self.target, self.higher_is_better)

    @property
    def progress(self) -> Decimal | None:
        return progress_to_target(getattr(self, "latest_value", None), self.baseline, self.target)

    @property
    def can_graduate(self) -> bool:
        return (
            self.status == Status.CONCLUDED
            and self.outcome == Outcome.ADOPT
            and self.channel_id is not None
            and self.graduated_at is None
        )

    @property
    def days_to_learn(self) -> int | None:
        if self.start_date and self.concluded_at:
            return max(0, (self.concluded_at.date() - self.start_date).days)
        return None


class ExperimentTarget(TenantModel):
    """A persona an experiment targets (the through table carries its workspace too)."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="targets")
    persona = models.ForeignKey(
        Persona, on_delete=models.CASCADE, related_name="experiment_targets"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["experiment", "persona"], name="target_unique_persona"),
        ]

    def __str__(self) -> str:
        return f"{self.experiment} → {self.persona}"


class ExperimentResult(TenantModel):
    """A dated measurement of the experiment's metric."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="results")
    date = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.CharField(max_length=500, blank=True)
    created_by = person_link(editable=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["workspace", "experiment", "date"])]

    def __str__(self) -> str:
        return f"{self.experiment}: {self.value} on {self.date}"


def get_experiment(workspace: Workspace, pk: int) -> Experiment:
    return (
        Experiment.objects.in_workspace(workspace)
        .with_latest_result()
        .select_related("channel", "owner", "updated_by", "created_by")
        .get_or_404(pk=pk)
    )

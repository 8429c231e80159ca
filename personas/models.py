from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from workspaces.models import (
    PERCENT,
    AdoptionStage,
    TenantModel,
    TenantQuerySet,
    VersionedModel,
    person_link,
)


class CompanySize(models.TextChoices):
    SOLO = "1-10", "1–10 people"
    SMALL = "11-50", "11–50 people"
    MEDIUM = "51-200", "51–200 people"
    MIDSIZE = "201-1000", "201–1,000 people"
    LARGE = "1001-5000", "1,001–5,000 people"
    ENTERPRISE = "5000+", "5,000+ people"


class ResearchKind(models.TextChoices):
    INTERVIEWS = "interviews"
    SURVEY = "survey"
    ANALYTICS = "analytics"
    SALES = "sales", "Sales conversations"
    ASSUMPTION = "assumption"


class RatioSource(models.TextChoices):
    """Where a present share comes from, most specific first."""

    PLAN_PERSONA = "plan_persona", "set for this persona in the plan"
    PERSONA = "persona", "persona's own"
    PLAN = "plan", "the plan's"
    WORKSPACE = "workspace", "workspace default"
    BALANCED = "balanced", "balanced to the plan's headline"


def last_review(reviewed_at: datetime | None, created_at: datetime) -> datetime:
    """When a persona was last reviewed: when it was made, if never since."""
    return reviewed_at or created_at


def review_overdue(last_reviewed: datetime, stale_after_days: int) -> bool:
    """Whether a persona last reviewed then has gone longer than the workspace's
    freshness setting (in days) without a review."""
    return timezone.now() - last_reviewed > timedelta(days=stale_after_days)


class PersonaQuerySet(TenantQuerySet):
    def active(self) -> PersonaQuerySet:
        return self.filter(archived=False)

    def with_evidence_counts(self) -> PersonaQuerySet:
        """Annotate how many research notes back each persona, and how many are
        more than an assumption, in the same query."""
        return self.annotate(
            note_count=models.Count("notes", distinct=True),
            research_count=models.Count(
                "notes", filter=~models.Q(notes__kind=ResearchKind.ASSUMPTION), distinct=True
            ),
        )

    def search(self, text: str) -> PersonaQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(
            models.Q(name__icontains=text)
            | models.Q(role_title__icontains=text)
            | models.Q(segment__icontains=text)
            | models.Q(summary__icontains=text)
        )


def _lines_of(name: str) -> property:
    """A text field's lines as a list, bullets and blank lines left out."""

    def lines(persona: Persona) -> list[str]:
        text = getattr(persona, name)
        return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]

    return property(lines)


class Persona(VersionedModel):
    """A buyer persona: who the plan serves, and why."""

    # Profile
    name = models.CharField(
        max_length=100, help_text='A name the team will remember: "Operations Olivia".'
    )
    role_title = models.CharField("role or title", max_length=120, blank=True)
    segment = models.CharField("segment or industry", max_length=120, blank=True)
    company_size = models.CharField(max_length=12, choices=CompanySize.choices, blank=True)
    summary = models.TextField(
        max_length=2000, blank=True, help_text="Who they are, in a few sentences."
    )
    quote = models.TextField(
        "in their words", max_length=500, blank=True, help_text="Something they actually said."
    )
    # Goals and pains
    goals = models.TextField(max_length=2000, blank=True, help_text="One per line.")
    challenges = models.TextField(
        "challenges and pains", max_length=2000, blank=True, help_text="One per line."
    )
    objections = models.TextField(max_length=2000, blank=True, help_text="One per line.")
    buying_triggers = models.TextField(max_length=2000, blank=True, help_text="One per line.")
    # Empathy map
    says = models.TextField(max_length=1000, blank=True)
    thinks = models.TextField(max_length=1000, blank=True)
    does = models.TextField(max_length=1000, blank=True)
    feels = models.TextField(max_length=1000, blank=True)
    # Adoption and planning
    adoption_stage = models.CharField(
        max_length=20, choices=AdoptionStage.choices, default=AdoptionStage.EARLY_MAJORITY
    )
    priority = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (low) to 5 (high): the persona's default weight in plans.",
    )
    present_share_override = models.PositiveSmallIntegerField(
        "own present share",
        null=True,
        blank=True,
        validators=PERCENT,
        help_text="Percent of this persona's effort spent where they are today. "
        "Empty: the workspace default.",
    )
    archived = models.BooleanField(default=False)
    # Freshness
    reviewed_at = models.DateTimeField("last reviewed", null=True, blank=True, editable=False)
    reviewed_by = person_link()
    # Moved on by every write to her or to her channel mix, in its transaction:
    # what is kept of her pace is worked out again when it has moved
    # (``workspaces.revision.ROW_MARKS``). A save leaves it as stored.
    pace_revision = models.PositiveBigIntegerField(default=0, editable=False)

    objects = PersonaQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "pace_revision"])

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["workspace", "archived", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(priority__gte=1, priority__lte=5), name="persona_priority_1_5"
            ),
            models.CheckConstraint(
                condition=models.Q(present_share_override__lte=100)
                | models.Q(present_share_override__isnull=True),
                name="persona_present_share_max_100",
            ),
        ]

    def save(self, *args, **kwargs) -> None:
        # A copy read before her mix changed must not write its older mark back.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.attname
                for f in self._meta.concrete_fields
                if not f.primary_key and f.attname != "pace_revision"
            ]
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("personas:detail", args=[self.workspace.slug, self.pk])

    @property
    def initials(self) -> str:
        words = [w for w in self.name.split() if w[:1].isalnum()]
        return "".join(w[0] for w in words[:2]).upper() or "?"

    # --- Ratio -------------------------------------------------------------
    @property
    def present_share(self) -> int:
        """The present share in force outside any plan: own override, else workspace."""
        if self.present_share_override is not None:
            return self.present_share_override
        return self.workspace.default_present_share

    @property
    def future_share(self) -> int:
        return 100 - self.present_share

    @property
    def present_share_source(self) -> RatioSource:
        if self.present_share_override is not None:
            return RatioSource.PERSONA
        return RatioSource.WORKSPACE

    @property
    def suggested_present_share(self) -> int:
        """What the adoption stage suggests: shown, never applied silently."""
        return self.workspace.suggested_present_share(self.adoption_stage)

    @property
    def suggested_future_share(self) -> int:
        return 100 - self.suggested_present_share

    @property
    def follows_suggestion(self) -> bool:
        return self.present_share == self.suggested_present_share

    # --- Freshness ---------------------------------------------------------
    @property
    def last_reviewed(self) -> datetime:
        return last_review(self.reviewed_at, self.created_at)

    @property
    def is_stale(self) -> bool:
        return review_overdue(self.last_reviewed, self.workspace.stale_after_days)

    @property
    def rests_on_assumptions(self) -> bool:
        """No research at all, or only assumptions. Needs ``with_evidence_counts()``
        or the notes prefetched."""
        count = getattr(self, "research_count", None)
        if count is None:
            count = sum(1 for note in self.notes.all() if note.kind != ResearchKind.ASSUMPTION)
        return count == 0

    # --- Text helpers for templates: one item per line ---------------------
    goal_list = _lines_of("goals")
    challenge_list = _lines_of("challenges")
    objection_list = _lines_of("objections")
    trigger_list = _lines_of("buying_triggers")


class ResearchNote(TenantModel):
    """Evidence behind a persona: a dated piece of research (or an admitted assumption)."""

    persona = models.ForeignKey(Persona, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField("source", max_length=20, choices=ResearchKind.choices)
    date = models.DateField(default=timezone.localdate)
    summary = models.TextField(max_length=1000)
    link = models.URLField(max_length=500, blank=True)
    created_by = person_link(blank=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["workspace", "persona", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.date:%d %b %Y}"


def get_persona(workspace, pk: int, annotations: Sequence[dict] = ()) -> Persona:
    """The one way views fetch a persona: within the workspace, or 404.
    ``annotations`` (applied in order) read more with her in the same query."""
    personas = Persona.objects.in_workspace(workspace).select_related(
        "created_by", "updated_by", "reviewed_by"
    )
    for step in annotations:
        personas = personas.annotate(**step)
    return personas.get_or_404(pk=pk)

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.query import ModelIterable
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from workspaces.roles import ROLE_ACTIONS, Action, Role

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
# Points a split may stray from what it is compared with before it is flagged.
DRIFT_POINTS = 5


def person_link(*, blank: bool = True, editable: bool = False) -> models.ForeignKey:
    """Who did something (created, approved, recorded): the record outlives the
    person's account, and is set by the app, not typed into forms."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=editable,
    )


class AdoptionStage(models.TextChoices):
    """The technology-adoption lifecycle, slowest last."""

    INNOVATOR = "innovator"
    EARLY_ADOPTER = "early_adopter", "Early adopter"
    EARLY_MAJORITY = "early_majority", "Early majority"
    LATE_MAJORITY = "late_majority", "Late majority"
    LAGGARD = "laggard"


_STAGE_LABELS = dict(AdoptionStage.choices)


def adoption_stage_label(stage: str) -> str:
    """A stage as a model's ``get_adoption_stage_display`` shows it (the value
    itself if it is no stage), for pages that read personas as plain values."""
    return _STAGE_LABELS.get(stage, stage)


class Weekday(models.IntegerChoices):
    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6


def time_zones() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class Workspace(models.Model):
    """A company, or one client of an agency. Every piece of domain data belongs to one."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(
        max_length=50,
        unique=True,
        help_text="Used in the workspace's addresses: /w/<slug>/.",
    )
    default_present_share = models.PositiveSmallIntegerField(
        "default present share",
        default=80,
        validators=PERCENT,
        help_text="Percent of planned effort spent where personas are today.",
    )
    effort_unit = models.CharField(
        max_length=20, default="hours", help_text='What plans count in: "hours", "USD", "points".'
    )
    stale_after_days = models.PositiveSmallIntegerField(
        "stale after (days)",
        default=180,
        validators=[MinValueValidator(7), MaxValueValidator(3650)],
        help_text="Channel data or personas not checked for this long are flagged.",
    )
    drift_tolerance = models.PositiveSmallIntegerField(
        "drift tolerance (points)",
        default=DRIFT_POINTS,
        validators=[MinValueValidator(0), MaxValueValidator(50)],
        help_text="How many percentage points a split may stray from what it is compared with "
        "(the plan's headline, the allocated split, a persona's ratio) before it is flagged.",
    )
    pace_tolerance = models.PositiveSmallIntegerField(
        "pace tolerance (points)",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="How many points a persona's audience and your effort on where they are "
        "going may move apart over two quarters before she is falling behind or running ahead.",
    )
    # Suggested present share per adoption stage: a heuristic of ours, editable.
    suggest_innovator = models.PositiveSmallIntegerField(default=60, validators=PERCENT)
    suggest_early_adopter = models.PositiveSmallIntegerField(default=70, validators=PERCENT)
    suggest_early_majority = models.PositiveSmallIntegerField(default=80, validators=PERCENT)
    suggest_late_majority = models.PositiveSmallIntegerField(default=85, validators=PERCENT)
    suggest_laggard = models.PositiveSmallIntegerField(default=90, validators=PERCENT)
    history_days = models.PositiveIntegerField(
        "keep history for (days)",
        null=True,
        blank=True,
        validators=[MinValueValidator(30), MaxValueValidator(36500)],
        help_text="Changes older than this are pruned (the latest version of each object "
        "stays). Empty: kept for ever.",
    )
    # The weekly digest goes out on this day and hour, in the workspace's time zone.
    digest_weekday = models.PositiveSmallIntegerField(
        "digest day", choices=Weekday.choices, default=Weekday.MONDAY
    )
    digest_hour = models.PositiveSmallIntegerField(
        "digest hour",
        default=8,
        validators=[MinValueValidator(0), MaxValueValidator(23)],
        help_text="0–23, in the workspace's time zone.",
    )
    time_zone = models.CharField(max_length=64, choices=time_zones, default="UTC")
    created_at = models.DateTimeField(auto_now_add=True)
    # How many dashboard signals are dismissed or snoozed (kept by the app that
    # sets them aside): with none, the pages showing signals skip reading them.
    signals_set_aside = models.PositiveIntegerField(default=0, editable=False)
    # Bumped in the same transaction as every write to the workspace's data
    # (``workspaces.revision``): pages cached under it are never served stale.
    data_revision = models.PositiveBigIntegerField(default=0, editable=False)
    # For each kind of row (a model's label), the data revision its last write made
    # ("*": a write of any kind): a value computed from a few kinds of rows can be
    # cached under their latest change, and outlive writes to the others.
    revisions = models.JSONField(default=dict, editable=False)

    history = HistoricalRecords(excluded_fields=["signals_set_aside", "data_revision", "revisions"])

    # Counters kept by UPDATEs of their own: saving a workspace never writes an
    # older value read before them.
    COUNTERS = ("signals_set_aside", "data_revision", "revisions")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(default_present_share__lte=100),
                name="workspace_present_share_max_100",
            ),
            models.CheckConstraint(
                condition=models.Q(digest_hour__lte=23) & models.Q(digest_weekday__lte=6),
                name="workspace_digest_moment_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.attname
                for f in self._meta.concrete_fields
                if not f.primary_key and f.attname not in self.COUNTERS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("planning:dashboard", kwargs={"workspace_slug": self.slug})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The workspace's time zone: its days, the digest's hour."""
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def default_future_share(self) -> int:
        return 100 - self.default_present_share

    def suggested_present_share(self, stage: str) -> int:
        return getattr(self, f"suggest_{stage}")

    @property
    def digest_moment(self) -> str:
        """When the digest goes out: "Monday 08:00 Europe/Paris"."""
        return f"{self.get_digest_weekday_display()} {self.digest_hour:02}:00 {self.time_zone}"


class MembershipQuerySet(models.QuerySet["Membership"]):
    def for_user(self, user) -> MembershipQuerySet:
        return self.filter(user=user).select_related("workspace").order_by("workspace__name")


def _may(action: Action) -> property:
    return property(lambda membership: membership.can(action), doc=f"May {action.value} here.")


class Membership(models.Model):
    """A user's place in a workspace, with exactly one role."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MARKETER)
    created_at = models.DateTimeField("joined", auto_now_add=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["workspace__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="membership_unique_user"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.workspace}"

    def can(self, action: Action) -> bool:
        return action in ROLE_ACTIONS.get(self.role, frozenset())

    # Template-friendly spellings of can(): {% if membership.can_edit %}.
    can_edit = _may(Action.EDIT)
    can_delete = _may(Action.DELETE)
    can_submit = _may(Action.SUBMIT)
    can_review = _may(Action.REVIEW)
    can_manage = _may(Action.MANAGE)

    @property
    def can_share(self) -> bool:
        return self.can(Action.SHARE)


class _InWorkspace(ModelIterable):
    """The rows of ``in_workspace()``, each handed the workspace the query filtered
    on, and so are the tenant rows fetched with it (``select_related``): reading
    ``row.workspace`` (for its slug in a URL, its settings) costs no query."""

    def __iter__(self):
        workspace = self.queryset._workspace
        for obj in super().__iter__():
            _prime(obj, workspace)
            yield obj


def _prime(obj: models.Model, workspace: Workspace) -> None:
    obj.workspace = workspace
    for related in list(obj._state.fields_cache.values()):
        if (
            isinstance(related, TenantModel)
            and "workspace" not in related._state.fields_cache
            and related.__dict__.get("workspace_id") == workspace.pk
        ):
            _prime(related, workspace)


class TenantQuerySet(models.QuerySet):
    """Querysets of workspace data: every lookup starts from a workspace."""

    _workspace: Workspace | None = None

    def in_workspace(self, workspace: Workspace) -> TenantQuerySet:
        """The rows of ``workspace``, each with its ``workspace`` already set."""
        queryset = self.filter(workspace=workspace)
        queryset._workspace = workspace
        if queryset._iterable_class is ModelIterable:
            queryset._iterable_class = _InWorkspace
        return queryset

    def _clone(self) -> TenantQuerySet:
        clone = super()._clone()
        clone._workspace = self._workspace
        return clone

    # Bulk writes send no signals: they bump the workspaces' data revision here.

    def update(self, **kwargs) -> int:
        from workspaces.revision import bump

        ids = [self._workspace.pk] if self._workspace is not None else self._workspace_ids()
        count = super().update(**kwargs)
        if count:
            bump(ids, self.model, bulk=True)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        from workspaces.revision import bump

        created = super().bulk_create(objs, *args, **kwargs)
        bump({obj.workspace_id for obj in created}, self.model, bulk=True)
        return created

    def bulk_update(self, objs, *args, **kwargs):
        from workspaces.revision import bump

        objs = list(objs)
        count = super().bulk_update(objs, *args, **kwargs)
        bump({obj.workspace_id for obj in objs}, self.model, bulk=True)
        return count

    def update_bookkeeping(self, **kwargs) -> int:
        """An update no page's content depends on (a view count): the data
        revision stays, and so do the cached pages."""
        return super().update(**kwargs)

    def _workspace_ids(self) -> list[int]:
        return list(self.order_by().values_list("workspace_id", flat=True).distinct())

    def get_or_404(self, **lookup):
        try:
            return self.get(**lookup)
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise Http404(f"No {self.model._meta.verbose_name} matches.") from None


class TenantModel(models.Model):
    """Base of every tenant table: each row carries its own workspace id.

    Child rows (a usage, a result, a plan line) carry it too, so every query can
    filter on it and the schema can later be distributed by workspace.
    """

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", editable=False
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


class VersionedModel(TenantModel):
    """Tenant data edited by several people: who made and last changed it, and a
    version that refuses a save based on a stale copy (see ``workspaces.versioning``)."""

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = person_link()
    updated_by = person_link()

    class Meta:
        abstract = True


class WorkspaceAlias(models.Model):
    """An old slug of a renamed workspace: its links keep working for members."""

    slug = models.SlugField(max_length=50, unique=True)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="aliases")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "workspace aliases"

    def __str__(self) -> str:
        return f"{self.slug} → {self.workspace.slug}"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A link that adds someone to a workspace with a role.

    Only a hash of the token is stored: the link is shown once, to the owner
    who creates it, and e-mailed to the person invited. An invitation names
    one e-mail address and works once, for that address only; an open link
    (``open_link``, no address) lets anyone holding it join, until it expires
    or is revoked."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(max_length=254, blank=True)
    open_link = models.BooleanField("anyone with the link", default=False, editable=False)
    joined = models.PositiveIntegerField(
        default=0, editable=False
    )  # people in through an open link
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MARKETER)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = person_link(blank=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_by = person_link()
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = InvitationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="invitation_role_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(open_link=True, email="")
                | (models.Q(open_link=False) & ~models.Q(email="")),
                name="invitation_names_an_address_or_is_open",
            ),
        ]

    def __str__(self) -> str:
        who = "anyone with the link" if self.open_link else self.email
        return f"{who} to {self.workspace} as {self.get_role_display()}"

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class ImportBatch(TenantModel):
    """An uploaded file waiting between its preview and the import: the raw rows,
    read again when the import runs, so nothing stale is written."""

    kind = models.CharField(max_length=20)
    # What the kind read from the upload page's address: the plan effort goes to.
    options = models.JSONField(default=dict, blank=True)
    filename = models.CharField(max_length=200)
    rows = models.JSONField(default=list)
    created_by = person_link(blank=False, editable=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set once a large import is handed to the worker: the job shows its progress.
    job = models.OneToOneField(
        "Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="batch"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} import of {self.filename}"


class ActivityAction(models.TextChoices):
    CREATED = "created"
    CHANGED = "changed"
    DELETED = "deleted"


class Activity(TenantModel):
    """One recorded change of a workspace's data, in words: who, when, which
    object, and each field as old → new. Written beside each history row
    (``workspaces.history``), so history pages and the activity feed read one
    indexed table; it outlives the object it is about."""

    at = models.DateTimeField()
    user = person_link()
    kind = models.CharField(max_length=30)
    object_id = models.BigIntegerField()
    object_name = models.CharField(max_length=200)
    parent_kind = models.CharField(max_length=30, blank=True)
    parent_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=10, choices=ActivityAction.choices)
    reason = models.CharField(max_length=200, blank=True)
    # [[label, old, new], …] in words, and the names of the fields changed.
    changes = models.JSONField(default=list, blank=True)
    fields = models.JSONField(default=list, blank=True)
    # The history rows of this change and of the version before it (for an undo).
    history_id = models.BigIntegerField()
    previous_history_id = models.BigIntegerField(null=True, blank=True)
    # The object's version after the change (versioned objects): an undo claims it.
    version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "activities"
        indexes = [
            models.Index(fields=["workspace", "-at"]),
            models.Index(fields=["workspace", "kind", "object_id"]),
            models.Index(fields=["workspace", "parent_kind", "parent_id"]),
            models.Index(fields=["workspace", "user", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user or 'Someone'} {self.action} {self.kind} {self.object_name}"


class Job(TenantModel):
    """Long work the worker does for someone (an import of thousands of rows):
    where it stands, for its progress page, and how it ended, for owners."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        RETRYING = "retrying", "Failed, will retry"
        DONE = "done"
        FAILED = "failed"

    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, validators=PERCENT)
    stage = models.CharField(max_length=100, blank=True)  # "Saving 10,000 rows"
    attempts = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(max_length=2000, blank=True)  # the outcome, or what went wrong
    result_url = models.CharField(max_length=300, blank=True)
    started_by = person_link()
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "-created_at"], name="job_recent")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="job_progress_max_100"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("imports:job", args=[self.workspace.slug, self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def record(self, **fields) -> None:
        """Save the given fields now, outside any transaction the work runs in,
        so the progress page sees them while the work goes on."""
        for name, value in fields.items():
            setattr(self, name, value)
        Job.objects.filter(pk=self.pk).update(**fields)


class ExportFile(TenantModel):
    """A spreadsheet the worker wrote for the person who asked for it (an export
    too large for the request): kept in the database, which every app server
    and worker reaches, and downloaded by that person only."""

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="export_file")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.filename

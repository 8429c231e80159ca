"""Channel workflows: the catalog, each persona's mix, and the observations kept on change."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone

from channels.models import Category, Channel, ChannelUsage, Evidence, Stage, UsageObservation
from channels.registry import CHANNEL_LINKS, ChannelLink
from pacekeeper.checks import configuration_check
from personas.models import Persona
from personas.services import mark_personas
from workspaces.history import restore_fields
from workspaces.models import Workspace
from workspaces.revision import rows_marked
from workspaces.versioning import delete_for_good, save_new, save_versioned

if TYPE_CHECKING:
    from datetime import date

    from accounts.models import User

DEFAULT_CATALOG = [
    ("LinkedIn", Category.SOCIAL, "Posts, articles and conversations on LinkedIn."),
    ("Email newsletter", Category.EMAIL, "Your own newsletter and nurture e-mails."),
    ("Webinars", Category.EVENTS, "Live and on-demand webinars."),
    ("Trade shows", Category.EVENTS, "Industry conferences and trade fairs."),
    ("Search", Category.SEARCH, "Organic search: people looking for an answer."),
    ("Paid search", Category.PAID, "Search ads."),
    ("Blog / SEO", Category.CONTENT, "Articles and guides on your site."),
    ("YouTube", Category.CONTENT, "Videos, tutorials and talks."),
    ("Podcasts", Category.CONTENT, "Your own show, or guesting on others'."),
    ("TikTok", Category.SOCIAL, "Short-form video."),
    ("Instagram", Category.SOCIAL, "Photos, reels and stories."),
    ("X", Category.SOCIAL, "Posts and threads on X (Twitter)."),
    ("Online communities", Category.COMMUNITY, "Slack and Discord groups, forums, Reddit."),
    ("Analyst reports", Category.CONTENT, "Industry analysts and review sites."),
    ("Partner referrals", Category.PARTNER, "Resellers, integrators and agencies."),
    ("Sales outreach", Category.DIRECT, "Calls and e-mails from your sales team."),
]


def catalog_create_default(*, workspace: Workspace) -> list[Channel]:
    """Give a new workspace a sensible catalog; every entry can be edited or deleted."""
    return Channel.objects.bulk_create(
        Channel(workspace=workspace, name=name, category=category, description=description)
        for name, category, description in DEFAULT_CATALOG
    )


def channel_save(*, channel: Channel, workspace: Workspace, user: User) -> Channel:
    return save_new(channel, user=user, workspace=workspace)


def channel_update(*, channel: Channel, user: User, fields: list[str]) -> Channel:
    """Write the edited ``fields`` of a channel: its name or category leave every
    persona's mix as it is (``mark_channel_mixes``)."""
    channel._history_user = user
    channel.save(update_fields=[*fields, "updated_at"])
    return channel


def undeclared_links() -> list[str]:
    """Links to a channel, from tables outside this app, that a merge would lose
    rows of (deleted with the channel that goes) and no ``ChannelLink`` declares."""
    declared = {(link.model, link.field) for link in CHANNEL_LINKS}
    return [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label != Channel._meta.app_label
        for field in model._meta.concrete_fields
        if field.related_model is Channel
        and field.remote_field.on_delete is models.CASCADE
        and (model, field.name) not in declared
    ]


def channel_links() -> list[ChannelLink]:
    """The declared links; refuses to work while one that would lose rows is missing."""
    missing = undeclared_links()
    if missing:
        raise ImproperlyConfigured(
            f"{', '.join(missing)} would lose rows when channels merge: declare a "
            "channels.registry.ChannelLink for it in its app's ready()."
        )
    return CHANNEL_LINKS


# ``manage.py check``: no merge of channels loses rows of another app.
check_links = configuration_check(channel_links, "channels.E001")


def _linked(link: ChannelLink, channel: Channel) -> models.QuerySet:
    return link.model._default_manager.filter(workspace=channel.workspace, **{link.field: channel})


def mark_persona_mix(
    row: ChannelUsage | UsageObservation, fields: frozenset[str] | None = None
) -> None:
    """A usage or an observation saved or deleted, whichever ``fields``: its
    persona is marked (``mark_personas``)."""
    if isinstance(row, ChannelUsage):
        personas = [row.persona_id]
    else:
        personas = ChannelUsage.objects.filter(
            workspace_id=row.workspace_id, pk=row.usage_id
        ).values("persona_id")
    mark_personas(row.workspace_id, personas)


def mark_channel_mixes(channel: Channel, fields: frozenset[str] | None = None) -> None:
    """A channel saved or deleted (``ROW_MARKS``): archived, restored or gone, it
    leaves or joins the mix of every persona with a usage of it, who are marked;
    while it is archived, any save moves the day it left their mixes (its
    ``updated_at``), so they are marked too. Any other save (its name, its
    category) changes no one's mix: the pace reads the channels' names again."""
    if fields is not None and "archived" not in fields and not channel.archived:
        return
    users = ChannelUsage.objects.filter(workspace_id=channel.workspace_id, channel_id=channel.pk)
    mark_personas(channel.workspace_id, users.values("persona_id"))


@dataclass(frozen=True)
class ChannelImpact:
    usages: int
    personas: list[str]
    observations: int
    linked: list[tuple[int, str]]  # other rows going with the channel: (how many, what)

    @property
    def in_use(self) -> bool:
        return self.usages > 0 or any(count for count, _ in self.linked)


def channel_delete_impact(*, channel: Channel) -> ChannelImpact:
    usages = ChannelUsage.objects.in_workspace(channel.workspace).filter(channel=channel)
    linked = []
    for link in channel_links():
        if link.goes_with:
            count = _linked(link, channel).count()
            if count:
                linked.append((count, link.goes_with[count != 1]))
    return ChannelImpact(
        usages=usages.count(),
        personas=list(usages.order_by("persona__name").values_list("persona__name", flat=True)),
        observations=UsageObservation.objects.in_workspace(channel.workspace)
        .filter(usage__channel=channel)
        .count(),
        linked=linked,
    )


def channel_delete(*, channel: Channel, user: User) -> None:
    delete_for_good(channel, user=user)


@dataclass(frozen=True)
class MergePlan:
    moved: list[str]  # personas whose usage moves to the target
    combined: list[
        tuple[str, Decimal, Decimal]
    ]  # personas on both: (name, target share, source share)


def channel_merge_plan(*, source: Channel, target: Channel) -> MergePlan:
    workspace = source.workspace
    target_usages = {
        u.persona_id: u for u in ChannelUsage.objects.in_workspace(workspace).filter(channel=target)
    }
    moved, combined = [], []
    for usage in (
        ChannelUsage.objects.in_workspace(workspace)
        .filter(channel=source)
        .select_related("persona")
        .order_by("persona__name")
    ):
        other = target_usages.get(usage.persona_id)
        if other is None:
            moved.append(usage.persona.name)
        else:
            combined.append((usage.persona.name, other.share, usage.share))
    return MergePlan(moved, combined)


@transaction.atomic
def channel_merge(*, source: Channel, target: Channel, user: User) -> MergePlan:
    """Fold ``source`` into ``target``: usages move over, a persona on both keeps one
    usage with the shares added, every observation is kept, and ``source`` goes."""
    assert source.workspace_id == target.workspace_id and source.pk != target.pk
    workspace = source.workspace
    plan = channel_merge_plan(source=source, target=target)
    usages = ChannelUsage.objects.in_workspace(workspace)
    target_by_persona = {u.persona_id: u for u in usages.filter(channel=target)}
    for usage in usages.filter(channel=source).select_related("persona"):
        kept = target_by_persona.get(usage.persona_id)
        if kept is None:
            usage.channel = target
            usage._history_user = user
            usage.save(update_fields=["channel", "updated_at"])
            continue
        before = (kept.share, kept.stage, kept.trend)
        kept.share += usage.share
        if usage.stage == Stage.CORE:
            kept.stage = Stage.CORE
        if usage.share > before[0]:
            kept.trend, kept.evidence = usage.trend, usage.evidence
        kept.last_verified = max(kept.last_verified, usage.last_verified)
        kept.notes = "\n".join(n for n in [kept.notes, usage.notes] if n)[:1000]
        # The folded usage's observations now tell the kept usage's story too
        # (her kept usage's save below marks her).
        with rows_marked():
            UsageObservation.objects.in_workspace(workspace).filter(usage=usage).update(usage=kept)
        _observe(kept, before, user=user, note=f"merged {source.name} into {target.name}")
        kept.version += 1
        kept.updated_by = user
        kept._history_user = user
        kept.save()
        delete_for_good(usage, user=user)
    for link in channel_links():
        _linked(link, source).update(**{link.field: target})
    delete_for_good(source, user=user)
    return plan


def _observe(
    usage: ChannelUsage,
    before: tuple[Decimal | None, str, str] | None,
    *,
    user: User | None,
    observed_on: date | None = None,
    note: str = "",
) -> UsageObservation | None:
    """Keep a dated observation if share, stage or trend changed (or the usage is new)."""
    after = (usage.share, usage.stage, usage.trend)
    if before is not None and tuple(before) == after:
        return None
    share_before, stage_before, trend_before = before or (None, "", "")
    return UsageObservation.objects.create(
        workspace_id=usage.workspace_id,
        usage=usage,
        observed_on=observed_on or timezone.localdate(),
        recorded_by=user,
        share_before=share_before,
        share=usage.share,
        stage_before=stage_before,
        stage=usage.stage,
        trend_before=trend_before,
        trend=usage.trend,
        note=note,
    )


@transaction.atomic
def usage_add(*, persona: Persona, usage: ChannelUsage, user: User) -> ChannelUsage:
    """Add a channel to a persona's mix (``usage`` is unsaved, its channel set)."""
    save_new(
        usage, user=user, workspace=persona.workspace, persona=persona, created_by=user,
        updated_by=user,
    )  # fmt: skip
    _observe(usage, None, user=user)
    return usage


def channel_find_or_create(
    *, workspace: Workspace, name: str, category: str, user: User
) -> Channel:
    """The catalog's channel of that name (any case), or a new one."""
    existing = Channel.objects.in_workspace(workspace).filter(name__iexact=name.strip()).first()
    if existing:
        return existing
    return channel_save(
        channel=Channel(name=name.strip(), category=category), workspace=workspace, user=user
    )


@transaction.atomic
def usage_update(
    *, usage: ChannelUsage, stored: dict, expected_version: int, user: User, fields: list[str]
) -> bool:
    """Save the edited ``fields`` of a usage unless someone changed them since
    ``expected_version``; keep an observation when share, stage or trend changed.
    ``stored`` holds the row's values before the edit. Returns False, saving
    nothing, when nothing changed."""
    if all(stored[name] == getattr(usage, name) for name in fields):
        return False
    save_versioned(usage, expected_version=expected_version, user=user, update_fields=fields)
    _observe(usage, tuple(stored[name] for name in ChannelUsage.OBSERVED), user=user)
    return True


USAGE_FIELDS = ["share", "stage", "trend", "evidence", "last_verified", "notes"]


def usage_values(usage: ChannelUsage) -> dict:
    """The editable values of a usage as stored, before a form changes them."""
    return {name: getattr(usage, name) for name in USAGE_FIELDS}


def usage_undo(
    *,
    instance: ChannelUsage,
    before,
    fields: list[str],
    expected_version: int,
    user: User,
    reason: str,
) -> None:
    """Put a usage's share, stage, trend, evidence or notes back as they were before
    a change, as a new version with its observation; refused (``StaleVersion``)
    when those fields changed since ``expected_version``."""
    stored = usage_values(instance)
    restored = restore_fields(instance, before, fields, reason=reason)
    usage_update(
        usage=instance, stored=stored, expected_version=expected_version, user=user,
        fields=restored,
    )  # fmt: skip


@transaction.atomic
def usage_remove(*, usage: ChannelUsage, user: User) -> None:
    delete_for_good(usage, user=user)


def persona_mix_impact(persona: Persona) -> list[tuple[str, int]]:
    """What of a persona's channel mix goes with it when it is deleted for good."""
    workspace = persona.workspace
    usages = ChannelUsage.objects.in_workspace(workspace).filter(persona=persona).count()
    observations = (
        UsageObservation.objects.in_workspace(workspace).filter(usage__persona=persona).count()
    )
    return [
        ("channels in the persona's mix", usages),
        ("dated observations of that mix", observations),
    ]


@transaction.atomic
def usage_copy_mix(*, source: Persona, target: Persona, user: User) -> None:
    """Give ``target`` the same channel mix as ``source`` (duplicating a persona)."""
    for usage in ChannelUsage.objects.in_workspace(source.workspace).filter(persona=source):
        copy = ChannelUsage(
            channel_id=usage.channel_id,
            share=usage.share,
            stage=usage.stage,
            trend=usage.trend,
            evidence=usage.evidence,
            last_verified=usage.last_verified,
            notes=usage.notes,
        )
        usage_add(persona=target, usage=copy, user=user)


def usage_graduate(
    *, persona: Persona, channel: Channel, share: Decimal, user: User, reason: str = ""
) -> ChannelUsage:
    """Make ``channel`` a core channel of ``persona``: added, or promoted with its new
    share; the history row says ``reason`` (the experiment it graduated from)."""
    existing = (
        ChannelUsage.objects.in_workspace(persona.workspace)
        .filter(persona=persona, channel=channel)
        .first()
    )
    if existing is None:
        usage = ChannelUsage(
            channel=channel, share=share, stage=Stage.CORE, evidence=Evidence.EXPERIMENT
        )
        usage._change_reason = reason
        return usage_add(persona=persona, usage=usage, user=user)
    before = (existing.share, existing.stage, existing.trend)
    existing.share, existing.stage, existing.evidence = share, Stage.CORE, Evidence.EXPERIMENT
    existing.last_verified = timezone.localdate()
    existing._change_reason = reason
    save_versioned(
        existing,
        expected_version=existing.version,
        user=user,
        update_fields=["share", "stage", "evidence", "last_verified"],
    )
    _observe(existing, before, user=user, note="graduated from an experiment")
    return existing

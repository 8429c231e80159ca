"""Channel mixes from a spreadsheet: one row per persona and channel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from channels.models import Channel, ChannelUsage, Evidence, Stage, Trend, UsageObservation
from pacekeeper.imports import Preview, RowResult, RowValidator, choice_value, save_in_bulk
from pacekeeper.spreadsheets import looks_like_formula
from personas.models import Persona
from personas.services import mark_personas
from workspaces.models import Workspace
from workspaces.registry import ExportSheet, ImportKind
from workspaces.revision import rows_marked

if TYPE_CHECKING:
    from accounts.models import User

COLUMNS = ["persona", "channel", "share", "stage", "trend", "evidence", "last_verified", "notes"]
FIELDS = ["share", "stage", "trend", "evidence", "last_verified", "notes"]


def example_rows() -> list[list[str]]:
    return [
        [
            "Operations Olivia",
            "LinkedIn",
            "35",
            "core",
            "steady",
            "survey",
            "2026-10-01",
            "Reads it on her commute",
        ],
        ["Operations Olivia", "YouTube", "6", "emerging", "rising", "interviews", "2026-10-01", ""],
    ]


def preview(workspace: Workspace, rows: list[dict[str, str]], **options) -> Preview:
    """Check every row; nothing is saved. Three queries, whatever the number of rows."""
    personas = {p.name.lower(): p for p in Persona.objects.in_workspace(workspace)}
    channels = {c.name.lower(): c for c in Channel.objects.in_workspace(workspace)}
    usages = {(u.persona_id, u.channel_id): u for u in ChannelUsage.objects.in_workspace(workspace)}
    validator = RowValidator(ChannelUsage, FIELDS)
    results, seen, new_channels = [], set(), {}
    for line, raw in enumerate(rows, start=2):
        persona_name = (raw.get("persona") or "").strip()
        channel_name = (raw.get("channel") or "").strip()
        result = RowResult(line, f"{persona_name or '?'} · {channel_name or '?'}")
        persona = personas.get(persona_name.lower())
        if not persona_name:
            result.fail("persona: give the persona's name")
        elif persona is None:
            result.fail(f"persona: no persona “{persona_name}” (import personas first)")
        if not channel_name:
            result.fail("channel: give the channel's name")
        elif len(channel_name) > 80:
            result.fail("channel: a channel name has at most 80 characters")
        key = (persona_name.lower(), channel_name.lower())
        if all(key) and key in seen:
            result.fail("this persona and channel appear twice in the file")
        seen.add(key)
        data = {name: (raw.get(name) or "").strip() for name in FIELDS}
        data["share"] = data["share"].replace(",", ".")
        data["stage"] = choice_value(data["stage"], Stage.choices, Stage.CORE)
        data["trend"] = choice_value(data["trend"], Trend.choices, Trend.STEADY)
        data["evidence"] = choice_value(data["evidence"], Evidence.choices, Evidence.ASSUMPTION)
        data["last_verified"] = data["last_verified"] or timezone.localdate().isoformat()
        cleaned, errors = validator.clean(data)
        for message in errors:
            result.fail(message)
        if looks_like_formula(data["notes"]):
            result.warnings.append("notes look like a spreadsheet formula: kept as plain text")
        channel = channels.get(channel_name.lower())
        if channel is None and channel_name and len(channel_name) <= 80:
            new_channels.setdefault(channel_name.lower(), channel_name)
            result.warnings.append(f"“{channel_name}” is not in the catalog: it will be added")
        if result.status != "error":
            current = (
                usages.get((persona.pk, channel.pk))
                if persona is not None and channel is not None
                else None
            )
            if current is None:
                result.status = "new"
            elif all(getattr(current, n) == v for n, v in cleaned.items()):
                result.status = "unchanged"
            else:
                result.status = "update"
            result.values = {"persona": persona_name, "channel": channel_name} | cleaned
        results.append(result)
    return Preview(results, sorted(new_channels.values(), key=str.lower))


@transaction.atomic
def commit(
    workspace: Workspace, rows: list[dict[str, str]], *, user: User, confirmed: bool = False
) -> Preview:
    """Import every row, or none. Channels named in the file and missing from the
    catalog are created only when the person ``confirmed`` it."""
    checked = preview(workspace, rows)
    if not checked.ok or (checked.new_channels and not confirmed):
        return checked
    with rows_marked():  # the personas whose mixes it writes are marked, no others
        _write(workspace, checked, user=user)
    return checked


def _write(workspace: Workspace, checked: Preview, *, user: User) -> None:
    """The checked rows written in bulk: new channels, usages new and changed,
    an observation for each that moved; the personas they belong to marked."""
    personas = {p.name.lower(): p for p in Persona.objects.in_workspace(workspace)}
    channels = {c.name.lower(): c for c in Channel.objects.in_workspace(workspace)}
    if checked.new_channels:
        created = bulk_create_with_history(
            [Channel(workspace=workspace, name=name) for name in checked.new_channels],
            Channel,
            default_user=user,
        )
        channels |= {c.name.lower(): c for c in created}
    usages = {
        (u.persona_id, u.channel_id): u
        for u in ChannelUsage.objects.in_workspace(workspace).select_for_update()
    }
    new, changed, observations, now = [], [], [], timezone.now()
    for row in checked.rows:
        if row.status == "unchanged":
            continue
        values = dict(row.values)
        persona, channel = (
            personas[values.pop("persona").lower()],
            channels[values.pop("channel").lower()],
        )
        usage = usages.get((persona.pk, channel.pk))
        if usage is None:
            usage = ChannelUsage(
                workspace=workspace, persona=persona, channel=channel, created_by=user,
                updated_by=user, **values,
            )  # fmt: skip
            new.append(usage)
            observations.append((usage, None))
            continue
        before = (usage.share, usage.stage, usage.trend)
        for name, value in values.items():
            setattr(usage, name, value)
        usage.version += 1
        usage.updated_by, usage.updated_at = user, now
        changed.append(usage)
        if before != (usage.share, usage.stage, usage.trend):
            observations.append((usage, before))
    save_in_bulk(ChannelUsage, new=new, changed=changed, fields=FIELDS, user=user)
    _observe_in_bulk(workspace, observations, user=user)
    mark_personas(workspace.pk, {usage.persona_id for usage in (*new, *changed)})


def _observe_in_bulk(
    workspace: Workspace, observations: list[tuple[ChannelUsage, tuple | None]], *, user: User
) -> None:
    """The dated observation of each imported usage that is new, or whose share,
    stage or trend changed (``before`` holds them as they were)."""
    UsageObservation.objects.bulk_create(
        UsageObservation(
            workspace=workspace, usage=usage, recorded_by=user, note="imported",
            share_before=before[0] if before else None, share=usage.share,
            stage_before=before[1] if before else "", stage=usage.stage,
            trend_before=before[2] if before else "", trend=usage.trend,
        )
        for usage, before in observations
    )  # fmt: skip


def export_rows(workspace: Workspace) -> list[list]:
    """Every persona's channel mix as the import reads it."""
    usages = (
        ChannelUsage.objects.in_workspace(workspace)
        .select_related("persona", "channel")
        .order_by("persona__name", "-share", "channel__name")
    )
    return [
        [
            u.persona.name,
            u.channel.name,
            u.share,
            u.stage,
            u.trend,
            u.evidence,
            u.last_verified.isoformat(),
            u.notes,
        ]
        for u in usages
    ]


SHEET = ExportSheet(
    "Channel mix",
    COLUMNS,
    export_rows,
    lambda workspace: ChannelUsage.objects.in_workspace(workspace).count(),
)

KIND = ImportKind(
    key="usages",
    title="Import channel mixes",
    noun="channel usage",
    columns=COLUMNS,
    about="One row per persona and channel. The persona must exist; a channel missing from the "
    "catalog can be added during the import. Stage: core or emerging; trend: rising, steady or "
    "declining.",
    example_rows=example_rows,
    preview=preview,
    commit=commit,
    done_url=lambda workspace, options: reverse("channels:list", args=[workspace.slug]),
)

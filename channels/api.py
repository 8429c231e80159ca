from __future__ import annotations

from decimal import Decimal

from ninja import Field, Router, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import field_serializer

from channels import services
from channels.models import Channel, ChannelUsage
from pacekeeper.schemas import from_model, narrowed
from personas.models import Persona
from workspaces.access import workspace_gate
from workspaces.roles import Action

router = Router(tags=["channels"])
CENT = Decimal("0.01")
USAGE = ["share", "stage", "trend", "evidence", "last_verified", "notes"]


class ChannelOut(from_model(Channel, ["id", "name", "category", "description"])):
    pass


class ChannelIn(from_model(Channel, ["name", "category", "description"], write=True)):
    pass


class UsageOut(from_model(ChannelUsage, ["id", "persona_id", "channel_id", *USAGE, "version"])):
    channel_name: str = Field(..., alias="channel.name")

    @field_serializer("share")
    def two_places(self, share: Decimal) -> str:
        """Shares always read with two decimals, as stored: "15.50", not "15.5"."""
        return str(share.quantize(CENT))


class UsageIn(
    from_model(ChannelUsage, ["persona_id", "channel_id", *USAGE], write=True, required=("share",))
):
    pass


class UsagePatch(from_model(ChannelUsage, USAGE, write=True, optional=True)):
    version: int = Field(..., ge=1)


@router.get("w/{slug}/channels", response=list[ChannelOut], url_name="channel_list")
@paginate(LimitOffsetPagination)
def channel_list(request, slug: str):
    workspace = workspace_gate(request, slug)
    return Channel.objects.in_workspace(workspace).order_by("name", "pk")


@router.post("w/{slug}/channels", response={201: ChannelOut}, url_name="channel_create")
def channel_create(request, slug: str, data: ChannelIn):
    workspace = workspace_gate(request, slug, Action.EDIT)
    if Channel.objects.in_workspace(workspace).filter(name__iexact=data.name.strip()).exists():
        raise HttpError(422, f"“{data.name}” is already in the catalog.")
    channel = services.channel_save(
        channel=Channel(**data.dict()), workspace=workspace, user=request.auth
    )
    return Status(201, channel)


@router.get("w/{slug}/usages", response=list[UsageOut], url_name="usage_list")
@paginate(LimitOffsetPagination)
def usage_list(request, slug: str, persona: int | None = None):
    """Every persona's channel mix; `persona=<id>` for one persona's."""
    usages = ChannelUsage.objects.in_workspace(workspace_gate(request, slug))
    return (
        narrowed(usages, persona_id=persona)
        .select_related("channel")
        .order_by("persona_id", "-share", "pk")
    )


@router.post("w/{slug}/usages", response={201: UsageOut}, url_name="usage_create")
def usage_create(request, slug: str, data: UsageIn):
    workspace = workspace_gate(request, slug, Action.EDIT)
    persona = Persona.objects.in_workspace(workspace).filter(pk=data.persona_id).first()
    channel = Channel.objects.in_workspace(workspace).filter(pk=data.channel_id).first()
    if persona is None or channel is None:
        raise HttpError(
            422, "persona_id and channel_id must name a persona and a channel of this workspace."
        )
    if ChannelUsage.objects.filter(persona=persona, channel=channel).exists():
        raise HttpError(
            422, f"{channel.name} is already in {persona.name}'s mix: change it with PATCH."
        )
    values = data.dict(exclude={"persona_id", "channel_id"})
    if values["last_verified"] is None:
        values.pop("last_verified")
    usage = services.usage_add(
        persona=persona, usage=ChannelUsage(channel=channel, **values), user=request.auth
    )
    return Status(201, usage)


@router.patch("w/{slug}/usages/{int:usage_id}", response=UsageOut, url_name="usage_update")
def usage_update(request, slug: str, usage_id: int, data: UsagePatch):
    """Change a usage; a change of share, stage or trend is kept as a dated observation."""
    workspace = workspace_gate(request, slug, Action.EDIT)
    usage = (
        ChannelUsage.objects.in_workspace(workspace)
        .select_related("channel")
        .get_or_404(pk=usage_id)
    )
    stored = services.usage_values(usage)
    changes = data.dict(exclude_unset=True)
    version = changes.pop("version")
    for name, value in changes.items():
        if value is not None:
            setattr(usage, name, value)
    services.usage_update(
        usage=usage, stored=stored, expected_version=version, user=request.auth, fields=list(stored)
    )
    return usage

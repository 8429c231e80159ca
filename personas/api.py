from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from pacekeeper.schemas import one_of
from personas import services
from personas.models import CompanySize, Persona
from workspaces.access import workspace_gate
from workspaces.models import AdoptionStage
from workspaces.roles import Action

router = Router(tags=["personas"])

StageIn = one_of(AdoptionStage)
SizeIn = Literal[("", *CompanySize.values)]  # empty: not known


class PersonaOut(Schema):
    id: int
    name: str
    role_title: str
    segment: str
    company_size: str
    summary: str
    quote: str
    goals: str
    challenges: str
    objections: str
    buying_triggers: str
    says: str
    thinks: str
    does: str
    feels: str
    adoption_stage: str
    priority: int
    present_share_override: int | None
    present_share: int = Field(
        description="The share in force outside plans: own, else the workspace's."
    )
    archived: bool
    version: int
    updated_at: datetime


class PersonaFields(Schema):
    role_title: str = Field("", max_length=120)
    segment: str = Field("", max_length=120)
    company_size: SizeIn = ""
    summary: str = Field("", max_length=2000)
    quote: str = Field("", max_length=500)
    goals: str = Field("", max_length=2000)
    challenges: str = Field("", max_length=2000)
    objections: str = Field("", max_length=2000)
    buying_triggers: str = Field("", max_length=2000)
    says: str = Field("", max_length=1000)
    thinks: str = Field("", max_length=1000)
    does: str = Field("", max_length=1000)
    feels: str = Field("", max_length=1000)
    adoption_stage: StageIn = "early_majority"
    priority: int = Field(3, ge=1, le=5)
    present_share_override: int | None = Field(None, ge=0, le=100)


class PersonaIn(PersonaFields):
    name: str = Field(..., min_length=1, max_length=100)


class PersonaPatch(Schema):
    version: int = Field(
        ...,
        ge=1,
        description="The version you read: a newer one on the server refuses the change (409).",
    )
    name: str | None = Field(None, min_length=1, max_length=100)
    role_title: str | None = Field(None, max_length=120)
    segment: str | None = Field(None, max_length=120)
    company_size: SizeIn | None = None
    summary: str | None = Field(None, max_length=2000)
    quote: str | None = Field(None, max_length=500)
    goals: str | None = Field(None, max_length=2000)
    challenges: str | None = Field(None, max_length=2000)
    objections: str | None = Field(None, max_length=2000)
    buying_triggers: str | None = Field(None, max_length=2000)
    says: str | None = Field(None, max_length=1000)
    thinks: str | None = Field(None, max_length=1000)
    does: str | None = Field(None, max_length=1000)
    feels: str | None = Field(None, max_length=1000)
    adoption_stage: StageIn | None = None
    priority: int | None = Field(None, ge=1, le=5)
    present_share_override: int | None = Field(None, ge=0, le=100)
    archived: bool | None = None


@router.get("w/{slug}/personas", response=list[PersonaOut], url_name="persona_list")
@paginate(LimitOffsetPagination)
def persona_list(request, slug: str, archived: bool = False):
    """The workspace's personas, by name; `archived=true` for the archived ones."""
    workspace = workspace_gate(request, slug)
    return Persona.objects.in_workspace(workspace).filter(archived=archived).order_by("name", "pk")


@router.post("w/{slug}/personas", response={201: PersonaOut}, url_name="persona_create")
def persona_create(request, slug: str, data: PersonaIn):
    workspace = workspace_gate(request, slug, Action.EDIT)
    persona = services.persona_create(
        workspace=workspace, user=request.auth, persona=Persona(**data.dict())
    )
    return Status(201, persona)


@router.get("w/{slug}/personas/{int:persona_id}", response=PersonaOut, url_name="persona_detail")
def persona_detail(request, slug: str, persona_id: int):
    return Persona.objects.in_workspace(workspace_gate(request, slug)).get_or_404(pk=persona_id)


@router.patch("w/{slug}/personas/{int:persona_id}", response=PersonaOut, url_name="persona_update")
def persona_update(request, slug: str, persona_id: int, data: PersonaPatch):
    """Change some fields. Send the `version` you read; a stale one gives 409."""
    workspace = workspace_gate(request, slug, Action.EDIT)
    persona = Persona.objects.in_workspace(workspace).get_or_404(pk=persona_id)
    changes = data.dict(exclude_unset=True)
    version = changes.pop("version")
    for name, value in changes.items():
        setattr(persona, name, value)
    services.persona_update(
        persona=persona, expected_version=version, user=request.auth, fields=list(changes)
    )
    return persona


@router.delete(
    "w/{slug}/personas/{int:persona_id}", response={204: None}, url_name="persona_delete"
)
def persona_delete(request, slug: str, persona_id: int):
    """Delete for good (owners only)."""
    workspace = workspace_gate(request, slug, Action.DELETE)
    persona = Persona.objects.in_workspace(workspace).get_or_404(pk=persona_id)
    services.persona_delete(persona=persona, user=request.auth)
    return Status(204, None)

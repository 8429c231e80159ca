from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from pacekeeper.schemas import from_model
from personas import services
from personas.models import Persona
from workspaces.access import workspace_gate
from workspaces.roles import Action

router = Router(tags=["personas"])

# What a persona's page edits, and so the API writes.
EDITABLE = [
    "role_title", "segment", "company_size", "summary", "quote", "goals", "challenges",
    "objections", "buying_triggers", "says", "thinks", "does", "feels", "adoption_stage",
    "priority", "present_share_override",
]  # fmt: skip
VERSION = Field(
    ...,
    ge=1,
    description="The version you read: a newer one on the server refuses the change (409).",
)


class PersonaOut(from_model(Persona, ["id", "name", *EDITABLE])):
    present_share: int = Field(
        ..., description="The share in force outside plans: own, else the workspace's."
    )
    archived: bool
    version: int
    updated_at: datetime


class PersonaIn(from_model(Persona, ["name", *EDITABLE], write=True)):
    pass


class PersonaPatch(from_model(Persona, ["name", *EDITABLE, "archived"], write=True, optional=True)):
    version: int = VERSION


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

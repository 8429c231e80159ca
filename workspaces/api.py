from __future__ import annotations

from ninja import Router

from pacekeeper.schemas import from_model
from workspaces.models import Membership, Workspace

router = Router(tags=["workspaces"])


class WorkspaceOut(from_model(Workspace, ["slug", "name", "default_present_share", "effort_unit"])):
    role: str


@router.get("workspaces", response=list[WorkspaceOut], url_name="workspaces")
def workspaces(request):
    """The workspaces the token's user belongs to, with their role."""
    return [
        WorkspaceOut(
            slug=m.workspace.slug,
            name=m.workspace.name,
            role=m.role,
            default_present_share=m.workspace.default_present_share,
            effort_unit=m.workspace.effort_unit,
        )
        for m in Membership.objects.for_user(request.auth)
    ]

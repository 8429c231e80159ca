from __future__ import annotations

from ninja import Router, Schema

from workspaces.models import Membership

router = Router(tags=["workspaces"])


class WorkspaceOut(Schema):
    slug: str
    name: str
    role: str
    default_present_share: int
    effort_unit: str


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

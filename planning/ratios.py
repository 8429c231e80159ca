"""Which present share applies to a persona in a plan, and where it comes from.

Most specific first: the persona's override in the plan, then the persona's own
share, then the plan's, then the workspace default. The adoption stage only
*suggests* a share: it is shown beside, never applied.
"""

from __future__ import annotations

from personas.models import RatioSource


def resolve_present_share(
    *, plan_persona: int | None, persona: int | None, plan: int | None, workspace: int
) -> tuple[int, RatioSource]:
    if plan_persona is not None:
        return plan_persona, RatioSource.PLAN_PERSONA
    if persona is not None:
        return persona, RatioSource.PERSONA
    if plan is not None:
        return plan, RatioSource.PLAN
    return workspace, RatioSource.WORKSPACE

"""Demo plans: an approved earlier quarter and next quarter in draft at 80 / 20."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from accounts.models import User
from personas.models import Persona
from planning.actuals import actual_save
from planning.allocation import Bucket, LineKind
from planning.models import Actual, Plan, PlanLine
from planning.services import plan_approve, plan_create, plan_submit
from workspaces.models import Workspace


def _quarter(today: date, offset: int) -> tuple[date, date, str]:
    index = (today.month - 1) // 3 + offset
    year, quarter = today.year + index // 4, index % 4
    start = date(year, quarter * 3 + 1, 1)
    next_start = date(year + (quarter == 3), (quarter * 3 + 3) % 12 + 1, 1)
    return start, next_start - timedelta(days=1), f"Q{quarter + 1} {year}"


def seed_planning(workspace: Workspace, users: dict[str, User]) -> str:
    """This quarter's plan, approved, with effort recorded against it; next
    quarter's in draft."""
    plans = seed_plans(workspace, users)
    seed_actuals(workspace, users, plans[0])
    return f"{len(plans)} plans"


def _plan(
    workspace: Workspace, author: User | None, offset: int, total: str, present_share: int
) -> tuple[Plan, bool]:
    """The demo plan of the quarter ``offset`` quarters from now, and whether it is new."""
    start, end, label = _quarter(date.today(), offset)
    plan = Plan.objects.in_workspace(workspace).filter(name=f"{label} plan").first()
    if plan is not None:
        return plan, False
    personas = list(Persona.objects.in_workspace(workspace).filter(archived=False))
    plan = Plan(
        name=f"{label} plan", start=start, end=end, total_effort=Decimal(total),
        present_share=present_share,
    )  # fmt: skip
    return plan_create(workspace=workspace, plan=plan, personas=personas, user=author), True


def seed_plans(workspace: Workspace, users: dict[str, User]) -> list[Plan]:
    author, reviewer = users.get("marketer"), users.get("reviewer")
    current, new = _plan(workspace, author, 0, "1200.00", 85)
    if new:
        plan_submit(plan=current, user=author, expected_version=current.version)
        current.refresh_from_db()
        plan_approve(
            plan=current,
            user=reviewer,
            expected_version=current.version,
            comment="Good balance; keep an eye on TikTok.",
        )
    upcoming, _ = _plan(workspace, author, 1, "1500.00", 80)
    return [current, upcoming]


def seed_actuals(workspace: Workspace, users: dict[str, User], plan: Plan) -> int:
    """Effort recorded against the approved plan, drifting a little towards the
    present (the team spent more on what it knows than planned)."""
    if Actual.objects.in_workspace(workspace).filter(plan=plan).exists():
        return 0
    author = users.get("marketer")
    lines = (
        PlanLine.objects.in_workspace(workspace)
        .filter(plan=plan)
        .exclude(kind__in=[LineKind.UNPLACED, LineKind.UNASSIGNED])
    )
    span = (plan.end - plan.start).days
    elapsed = max(1, min(span, (date.today() - plan.start).days))
    done = Decimal(elapsed) / Decimal(span)  # how far into the quarter we are
    count = 0
    for i, line in enumerate(lines.order_by("position")):
        pace = Decimal("1.08") if line.bucket == Bucket.PRESENT else Decimal("0.55")
        amount = (line.amount * done * pace).quantize(Decimal("0.01"))
        if amount <= 0:
            continue
        actual = Actual(
            date=plan.start + timedelta(days=(i * 7) % elapsed),
            channel_id=line.channel_id if line.kind == LineKind.CHANNEL else None,
            experiment_id=line.experiment_id if line.kind == LineKind.EXPERIMENT else None,
            persona_id=line.persona_id,
            amount=amount,
            note="Logged from the team's time sheets",
        )
        actual_save(actual=actual, plan=plan, user=author)
        count += 1
    return count

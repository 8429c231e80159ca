"""Demo plans: four past quarters and this one approved, with the effort spent on
them, the part going where personas are going rising from 5% to 15% as the
experiments prove themselves; next quarter in draft at 80 / 20."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from accounts.models import User
from personas.models import Persona
from planning.actuals import actual_save
from planning.allocation import Bucket, LineKind
from planning.models import Actual, Plan, PlanLine, PlanPersona
from planning.services import plan_approve, plan_create, plan_submit
from workspaces.models import Workspace


def _quarter(today: date, offset: int) -> tuple[date, date, str]:
    index = (today.month - 1) // 3 + offset
    year, quarter = today.year + index // 4, index % 4
    start = date(year, quarter * 3 + 1, 1)
    next_start = date(year + (quarter == 3), (quarter * 3 + 3) % 12 + 1, 1)
    return start, next_start - timedelta(days=1), f"Q{quarter + 1} {year}"


# Past quarters' headline present share, oldest first: the future part grows.
PAST_HEADLINES = (95, 92, 90, 88)
# How the team's spending followed each plan: present and future parts, as a
# fraction of what was allocated. Most personas on plan; Founder Farah, whose
# TikTok pull the team has not caught up with, spends more on what she knows.
ON_PLAN = (Decimal("1.00"), Decimal("0.96"))
OFF_PLAN = {"Founder Farah": (Decimal("1.12"), Decimal("0.55"))}


def seed_planning(workspace: Workspace, users: dict[str, User]) -> str:
    """Four past quarters and this one approved, with effort recorded against
    them; next quarter's in draft."""
    past = seed_past_plans(workspace, users)
    plans = seed_plans(workspace, users)
    for plan in past:
        seed_actuals(workspace, users, plan, off_plan={})
    seed_actuals(workspace, users, plans[0])
    return f"{len(past) + len(plans)} plans"


def _approve(plan: Plan, author: User | None, reviewer: User | None, comment: str) -> None:
    plan_submit(plan=plan, user=author, expected_version=plan.version)
    plan.refresh_from_db()
    plan_approve(plan=plan, user=reviewer, expected_version=plan.version, comment=comment)


def seed_past_plans(workspace: Workspace, users: dict[str, User]) -> list[Plan]:
    """The four quarters before this one, approved, each a little more on where
    personas are going."""
    author, reviewer = users.get("marketer"), users.get("reviewer")
    plans = []
    for offset, headline in zip(range(-len(PAST_HEADLINES), 0), PAST_HEADLINES, strict=True):
        plan, new = _plan(workspace, author, offset, "1100.00", headline)
        if new:
            _approve(plan, author, reviewer, "Approved as planned.")
        plans.append(plan)
    return plans


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


# The pace story: Founder Farah's audience moved to TikTok over the last two
# quarters and the team began to follow only this quarter, giving her more
# exploration in this quarter's plan than her own 70 / 30.
FOLLOWED_LATE = {"Founder Farah": 62}


def _follow_late(plan: Plan) -> None:
    members = PlanPersona.objects.in_workspace(plan.workspace).filter(
        plan=plan, persona__name__in=FOLLOWED_LATE
    )
    for member in members.select_related("persona"):
        member.present_share_override = FOLLOWED_LATE[member.persona.name]
        member.save(update_fields=["present_share_override"])


def seed_plans(workspace: Workspace, users: dict[str, User]) -> list[Plan]:
    author, reviewer = users.get("marketer"), users.get("reviewer")
    current, new = _plan(workspace, author, 0, "1200.00", 85)
    if new:
        _follow_late(current)
        _approve(current, author, reviewer, "Good balance; keep an eye on TikTok.")
    upcoming, _ = _plan(workspace, author, 1, "1500.00", 80)
    return [current, upcoming]


def seed_actuals(
    workspace: Workspace, users: dict[str, User], plan: Plan, off_plan: dict | None = None
) -> int:
    """Effort recorded against an approved plan, up to today for this quarter:
    close to plan for most personas, the ones ``off_plan`` names spending more
    on what they know than planned."""
    off_plan = OFF_PLAN if off_plan is None else off_plan
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
        present, future = off_plan.get(line.persona_name, ON_PLAN)
        pace = present if line.bucket == Bucket.PRESENT else future
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

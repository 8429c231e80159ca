from __future__ import annotations

from decimal import Decimal

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from channels.models import Channel
from experiments.models import Experiment
from pacekeeper.schemas import from_model, narrowed
from personas.models import Persona
from planning.actuals import actual_save, actual_totals
from planning.allocation import LineKind
from planning.models import Actual, Plan
from planning.selectors import plan_view, with_actuals
from workspaces.access import workspace_gate
from workspaces.roles import Action

router = Router(tags=["plans"])


class PlanOut(
    from_model(Plan, ["id", "name", "start", "end", "total_effort", "status", "version"])
):
    present_share: int = Field(..., alias="effective_present_share")


class LineOut(Schema):
    persona: str
    bucket: str = Field(
        ..., description="present (where they are) or future (where they are going)"
    )
    kind: str = Field(..., description="channel, experiment, unplaced or unassigned")
    label: str
    channel_id: int | None
    experiment_id: int | None
    amount: Decimal
    actual: Decimal | None


class PlanDetailOut(PlanOut):
    stored: bool = Field(
        ..., description="true once approved: the lines are stored and no longer move"
    )
    error: str
    planned_present: Decimal
    planned_future: Decimal
    actual_present: Decimal
    actual_future: Decimal
    lines: list[LineOut]


ACTUAL = ["plan_id", "date", "channel_id", "experiment_id", "persona_id", "amount", "note"]


class ActualOut(from_model(Actual, ["id", *ACTUAL, "version"])):
    pass


class ActualIn(from_model(Actual, ACTUAL, write=True)):
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)


@router.get("w/{slug}/plans", response=list[PlanOut], url_name="plan_list")
@paginate(LimitOffsetPagination)
def plan_list(request, slug: str):
    return Plan.objects.in_workspace(workspace_gate(request, slug)).order_by("-start", "-pk")


@router.get("w/{slug}/plans/{int:plan_id}", response=PlanDetailOut, url_name="plan_detail")
def plan_detail(request, slug: str, plan_id: int):
    """The plan with its allocation, line by line, and the effort recorded against it."""
    plan = Plan.objects.in_workspace(workspace_gate(request, slug)).get_or_404(pk=plan_id)
    view = with_actuals(plan_view(plan), actual_totals(plan))
    lines = [
        LineOut(
            persona=row.name,
            bucket=line.bucket,
            kind=line.kind,
            label=line.label,
            channel_id=line.channel_id if line.kind == LineKind.CHANNEL else None,
            experiment_id=line.experiment_id,
            amount=line.amount,
            actual=line.actual,
        )
        for row, line in view.lines
    ]
    return PlanDetailOut(
        id=plan.pk, name=plan.name, start=plan.start, end=plan.end, total_effort=plan.total_effort,
        effective_present_share=plan.effective_present_share, status=plan.status, version=plan.version,
        stored=view.stored, error=view.error, planned_present=view.present, planned_future=view.future,
        actual_present=view.actual_present, actual_future=view.actual_future, lines=lines,
    )  # fmt: skip


@router.get("w/{slug}/actuals", response=list[ActualOut], url_name="actual_list")
@paginate(LimitOffsetPagination)
def actual_list(request, slug: str, plan: int | None = None):
    actuals = Actual.objects.in_workspace(workspace_gate(request, slug)).order_by("date", "pk")
    return narrowed(actuals, plan_id=plan)


@router.post("w/{slug}/actuals", response={201: ActualOut}, url_name="actual_create")
def actual_create(request, slug: str, data: ActualIn):
    workspace = workspace_gate(request, slug, Action.EDIT)
    plan = Plan.objects.in_workspace(workspace).filter(pk=data.plan_id).first()
    if plan is None:
        raise HttpError(422, "plan_id must name a plan of this workspace.")
    if (data.channel_id is None) == (data.experiment_id is None):
        raise HttpError(422, "Give a channel_id or an experiment_id, not both.")
    if not plan.start <= data.date <= plan.end:
        raise HttpError(422, f"date must fall in the plan's period, {plan.start} to {plan.end}.")
    channel = experiment = persona = None
    if data.channel_id is not None:
        channel = Channel.objects.in_workspace(workspace).filter(pk=data.channel_id).first()
    if data.experiment_id is not None:
        experiment = (
            Experiment.objects.in_workspace(workspace).filter(pk=data.experiment_id).first()
        )
    if data.persona_id is not None:
        persona = Persona.objects.in_workspace(workspace).filter(pk=data.persona_id).first()
        if persona is None:
            raise HttpError(422, "persona_id must name a persona of this workspace.")
    if channel is None and experiment is None:
        raise HttpError(422, "channel_id or experiment_id must name one of this workspace.")
    actual = Actual(
        date=data.date,
        channel=channel,
        experiment=experiment,
        persona=persona,
        amount=data.amount,
        note=data.note,
    )
    return Status(201, actual_save(actual=actual, plan=plan, user=request.auth))

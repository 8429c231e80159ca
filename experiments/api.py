from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from channels.models import Channel
from experiments import services
from experiments.models import Experiment, ExperimentResult, ExperimentTarget, Kind
from experiments.models import Status as ExperimentStatus
from pacekeeper.schemas import one_of
from personas.models import Persona
from workspaces.access import workspace_gate
from workspaces.roles import Action

router = Router(tags=["experiments"])

KindIn = one_of(Kind)
OpenStatus = one_of(
    ExperimentStatus,
    only=(ExperimentStatus.IDEA, ExperimentStatus.PLANNED, ExperimentStatus.RUNNING),
)


class ExperimentOut(Schema):
    id: int
    title: str
    kind: str
    channel_id: int | None
    persona_ids: list[int]
    hypothesis: str
    metric: str
    baseline: Decimal
    target: Decimal
    higher_is_better: bool
    impact: int
    confidence: int
    ease: int
    weight: Decimal = Field(..., alias="effective_weight")
    status: str
    outcome: str
    start_date: date | None
    end_date: date | None
    learnings: str
    latest_result: Decimal | None = Field(None, alias="latest_value")
    version: int

    @staticmethod
    def resolve_persona_ids(obj) -> list[int]:
        return [t.persona_id for t in obj.targets.all()]


class ExperimentIn(Schema):
    title: str = Field(..., min_length=1, max_length=120)
    kind: KindIn = "channel"
    channel_id: int | None = None
    persona_ids: list[int] = Field(..., min_length=1)
    hypothesis: str = Field("", max_length=1000)
    metric: str = Field("", max_length=120)
    baseline: Decimal = Field(Decimal(0), max_digits=14, decimal_places=2)
    target: Decimal = Field(Decimal(0), max_digits=14, decimal_places=2)
    higher_is_better: bool = True
    impact: int = Field(5, ge=1, le=10)
    confidence: int = Field(5, ge=1, le=10)
    ease: int = Field(5, ge=1, le=10)
    weight: Decimal | None = Field(None, ge=0, max_digits=6, decimal_places=2)
    status: OpenStatus = "idea"
    start_date: date | None = None
    end_date: date | None = None


class ExperimentPatch(Schema):
    version: int = Field(..., ge=1)
    title: str | None = Field(None, min_length=1, max_length=120)
    hypothesis: str | None = Field(None, max_length=1000)
    metric: str | None = Field(None, max_length=120)
    baseline: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    target: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    impact: int | None = Field(None, ge=1, le=10)
    confidence: int | None = Field(None, ge=1, le=10)
    ease: int | None = Field(None, ge=1, le=10)
    learnings: str | None = Field(None, max_length=2000)


class ResultOut(Schema):
    id: int
    date: date
    value: Decimal
    note: str


class ResultIn(Schema):
    date: date
    value: Decimal = Field(..., max_digits=14, decimal_places=2)
    note: str = Field("", max_length=500)


def _listing(workspace):
    return (
        Experiment.objects.in_workspace(workspace)
        .with_latest_result()
        .prefetch_related(
            Prefetch(
                "targets", ExperimentTarget.objects.in_workspace(workspace).order_by("persona_id")
            )
        )
    )


def _get(workspace, experiment_id: int) -> Experiment:
    return _listing(workspace).get_or_404(pk=experiment_id)


@router.get("w/{slug}/experiments", response=list[ExperimentOut], url_name="experiment_list")
@paginate(LimitOffsetPagination)
def experiment_list(request, slug: str, status: str | None = None):
    workspace = workspace_gate(request, slug)
    experiments = _listing(workspace).order_by("title", "pk")
    if status:
        experiments = experiments.filter(status=status)
    return experiments


@router.post("w/{slug}/experiments", response={201: ExperimentOut}, url_name="experiment_create")
def experiment_create(request, slug: str, data: ExperimentIn):
    workspace = workspace_gate(request, slug, Action.EDIT)
    personas = list(Persona.objects.in_workspace(workspace).filter(pk__in=data.persona_ids))
    if len(personas) != len(set(data.persona_ids)):
        raise HttpError(422, "persona_ids must name personas of this workspace.")
    channel = None
    if data.channel_id is not None:
        channel = Channel.objects.in_workspace(workspace).filter(pk=data.channel_id).first()
        if channel is None:
            raise HttpError(422, "channel_id must name a channel of this workspace.")
    if data.kind == "channel" and channel is None:
        raise HttpError(422, "A new-channel experiment needs its channel_id.")
    if data.start_date and data.end_date and data.end_date < data.start_date:
        raise HttpError(422, "end_date cannot be before start_date.")
    values = data.dict(exclude={"persona_ids", "channel_id"})
    experiment = services.experiment_create(
        workspace=workspace,
        experiment=Experiment(channel=channel, **values),
        personas=personas,
        user=request.auth,
    )
    return Status(201, _get(workspace, experiment.pk))


@router.get(
    "w/{slug}/experiments/{int:experiment_id}", response=ExperimentOut, url_name="experiment_detail"
)
def experiment_detail(request, slug: str, experiment_id: int):
    return _get(workspace_gate(request, slug), experiment_id)


@router.patch(
    "w/{slug}/experiments/{int:experiment_id}", response=ExperimentOut, url_name="experiment_update"
)
def experiment_update(request, slug: str, experiment_id: int, data: ExperimentPatch):
    workspace = workspace_gate(request, slug, Action.EDIT)
    experiment = _get(workspace, experiment_id)
    changes = data.dict(exclude_unset=True)
    version = changes.pop("version")
    for name, value in changes.items():
        setattr(experiment, name, value)
    personas = [t.persona for t in experiment.targets.select_related("persona")]
    services.experiment_update(
        experiment=experiment,
        personas=personas,
        expected_version=version,
        user=request.auth,
        fields=list(changes),
    )
    return _get(workspace, experiment_id)


@router.get(
    "w/{slug}/experiments/{int:experiment_id}/results",
    response=list[ResultOut],
    url_name="result_list",
)
@paginate(LimitOffsetPagination)
def result_list(request, slug: str, experiment_id: int):
    workspace = workspace_gate(request, slug)
    experiment = Experiment.objects.in_workspace(workspace).get_or_404(pk=experiment_id)
    return (
        ExperimentResult.objects.in_workspace(workspace)
        .filter(experiment=experiment)
        .order_by("date", "pk")
    )


@router.post(
    "w/{slug}/experiments/{int:experiment_id}/results",
    response={201: ResultOut},
    url_name="result_create",
)
def result_create(request, slug: str, experiment_id: int, data: ResultIn):
    workspace = workspace_gate(request, slug, Action.EDIT)
    experiment = Experiment.objects.in_workspace(workspace).get_or_404(pk=experiment_id)
    result = services.result_add(
        experiment=experiment, result=ExperimentResult(**data.dict()), user=request.auth
    )
    return Status(201, result)

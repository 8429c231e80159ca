from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch
from ninja import Field, Router, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from channels.models import Channel
from experiments import services
from experiments.models import Experiment, ExperimentResult, ExperimentTarget
from experiments.models import Status as ExperimentStatus
from pacekeeper.schemas import from_model, narrowed, one_of
from personas.models import Persona
from workspaces.access import workspace_gate
from workspaces.roles import Action

router = Router(tags=["experiments"])

OpenStatus = one_of(
    ExperimentStatus,
    only=(ExperimentStatus.IDEA, ExperimentStatus.PLANNED, ExperimentStatus.RUNNING),
)
MEASURE = ["hypothesis", "metric", "baseline", "target"]
ICE = ["impact", "confidence", "ease"]
READ = [
    "id", "title", "kind", "channel_id", *MEASURE, "higher_is_better", *ICE, "status", "outcome",
    "start_date", "end_date", "learnings", "version",
]  # fmt: skip
WRITE = [
    "title", "kind", "channel_id", *MEASURE, "higher_is_better", *ICE, "weight", "start_date",
    "end_date",
]  # fmt: skip


class ExperimentOut(from_model(Experiment, READ)):
    persona_ids: list[int]
    weight: Decimal = Field(..., alias="effective_weight")
    latest_result: Decimal | None = Field(None, alias="latest_value")

    @staticmethod
    def resolve_persona_ids(obj) -> list[int]:
        return [t.persona_id for t in obj.targets.all()]


class ExperimentIn(from_model(Experiment, WRITE, write=True)):
    persona_ids: list[int] = Field(..., min_length=1)
    status: OpenStatus = "idea"


class ExperimentPatch(
    from_model(Experiment, ["title", *MEASURE, *ICE, "learnings"], write=True, optional=True)
):
    version: int = Field(..., ge=1)


class ResultOut(from_model(ExperimentResult, ["id", "date", "value", "note"])):
    pass


class ResultIn(from_model(ExperimentResult, ["date", "value", "note"], write=True)):
    pass


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
    experiments = _listing(workspace_gate(request, slug)).order_by("title", "pk")
    return narrowed(experiments, status=status or None)


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

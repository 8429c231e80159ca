"""Experiments and their results as CSV and XLSX."""

from __future__ import annotations

from experiments.models import Experiment, ExperimentResult
from workspaces.models import Workspace
from workspaces.registry import ExportKind, ExportSheet

COLUMNS = [
    "title", "kind", "status", "outcome", "channel", "personas", "hypothesis", "metric", "baseline", "target",
    "higher_is_better", "impact", "confidence", "ease", "ice", "weight", "start_date", "end_date", "owner",
    "latest_result", "learnings",
]  # fmt: skip
RESULT_COLUMNS = ["experiment", "date", "value", "note"]


def experiment_rows(workspace: Workspace) -> list[list]:
    experiments = Experiment.objects.for_listing(workspace).order_by("title", "pk")
    return [
        [
            e.title,
            e.get_kind_display(),
            e.get_status_display(),
            e.get_outcome_display() if e.outcome else "",
            e.channel.name if e.channel else "",
            ", ".join(t.persona.name for t in e.targets.all()),
            e.hypothesis,
            e.metric,
            e.baseline,
            e.target,
            "yes" if e.higher_is_better else "no",
            e.impact,
            e.confidence,
            e.ease,
            e.ice_average,
            e.effective_weight,
            e.start_date.isoformat() if e.start_date else "",
            e.end_date.isoformat() if e.end_date else "",
            e.owner.email if e.owner else "",
            e.latest_value if e.latest_value is not None else "",
            e.learnings,
        ]
        for e in experiments
    ]


def result_rows(workspace: Workspace) -> list[list]:
    results = (
        ExperimentResult.objects.in_workspace(workspace)
        .select_related("experiment")
        .order_by("experiment__title", "date", "pk")
    )
    return [[r.experiment.title, r.date.isoformat(), r.value, r.note] for r in results]


KIND = ExportKind(
    "experiments",
    "experiments",
    [
        ExportSheet(
            "Experiments",
            COLUMNS,
            experiment_rows,
            lambda workspace: Experiment.objects.in_workspace(workspace).count(),
        ),
        ExportSheet(
            "Results",
            RESULT_COLUMNS,
            result_rows,
            lambda workspace: ExperimentResult.objects.in_workspace(workspace).count(),
        ),
    ],
)

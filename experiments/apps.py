from django.apps import AppConfig


class ExperimentsConfig(AppConfig):
    name = "experiments"

    def ready(self) -> None:
        from channels.registry import CHANNEL_LINKS, ChannelLink
        from experiments import demo, digest, exports, services
        from experiments.forms import ExperimentForm
        from experiments.models import Experiment, ExperimentResult, ExperimentTarget
        from notifications import registry as notices
        from workspaces import registry
        from workspaces.history import shown

        registry.DEMO_SEEDERS.append(demo.seed_experiments)
        registry.EXPORT_KINDS.append(exports.KIND)
        notices.DIGEST_SECTIONS.append(digest.digest_sections)
        CHANNEL_LINKS.append(ChannelLink(Experiment))
        registry.BACKUP_SECTIONS.extend(
            [
                registry.BackupSection("experiments", Experiment, {"channel": "channels"}),
                registry.BackupSection(
                    "experiment_targets",
                    ExperimentTarget,
                    {"experiment": "experiments", "persona": "personas"},
                ),
                registry.BackupSection(
                    "experiment_results", ExperimentResult, {"experiment": "experiments"}
                ),
            ]
        )
        registry.HISTORY_KINDS.extend(
            [
                registry.HistoryKind(
                    "experiment",
                    "Experiments",
                    "experiment",
                    Experiment,
                    name=lambda record: record.title,
                    page="experiments:history",
                    undo=services.experiment_undo,
                    undo_fields=frozenset(ExperimentForm.Meta.fields),
                ),
                registry.HistoryKind(
                    "result",
                    "Experiment results",
                    "result",
                    ExperimentResult,
                    name=lambda r: f"{shown(r, 'value')} on {shown(r, 'date')}",
                    parent=lambda record: ("experiment", record.experiment_id),
                ),
            ]
        )

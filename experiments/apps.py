from django.apps import AppConfig


class ExperimentsConfig(AppConfig):
    name = "experiments"

    def ready(self) -> None:
        from channels.registry import CHANNEL_LINKS, ChannelLink
        from experiments import demo
        from experiments.models import Experiment, ExperimentResult, ExperimentTarget
        from workspaces import registry

        registry.DEMO_SEEDERS.append(demo.seed_experiments)
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

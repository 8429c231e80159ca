from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "channels"

    def ready(self) -> None:
        from django.core import checks

        from channels import demo, imports, services
        from channels.models import Channel, ChannelUsage, UsageObservation
        from personas import registry as personas
        from workspaces import registry as workspaces

        workspaces.IMPORT_KINDS.append(imports.KIND)
        workspaces.DEMO_SEEDERS.append(demo.seed_channels)
        workspaces.WORKSPACE_CREATED.append(services.catalog_create_default)
        personas.PERSONA_DUPLICATED.append(services.usage_copy_mix)
        personas.PERSONA_DELETE_IMPACT.append(services.persona_mix_impact)
        checks.register(services.check_links)
        workspaces.BACKUP_SECTIONS.extend(
            [
                workspaces.BackupSection("channels", Channel),
                workspaces.BackupSection(
                    "channel_usages", ChannelUsage, {"persona": "personas", "channel": "channels"}
                ),
                workspaces.BackupSection(
                    "usage_observations", UsageObservation, {"usage": "channel_usages"}
                ),
            ]
        )

from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "channels"

    def ready(self) -> None:
        from django.core import checks

        from channels import demo, imports, services
        from channels.models import Channel, ChannelUsage
        from personas import imports as persona_imports
        from personas import registry as personas
        from workspaces import registry as workspaces
        from workspaces.history import shown

        workspaces.IMPORT_KINDS.append(imports.KIND)
        self._data_hooks()
        # The personas' export holds their channel mixes too: channels, above
        # personas, puts the two sheets together.
        workspaces.EXPORT_KINDS.extend(
            [
                workspaces.ExportKind(
                    "personas", "personas", [persona_imports.SHEET, imports.SHEET]
                ),
                workspaces.ExportKind("channel-mix", "channel mix", [imports.SHEET]),
            ]
        )
        workspaces.DEMO_SEEDERS.append(demo.seed_channels)
        workspaces.WORKSPACE_CREATED.append(services.catalog_create_default)
        personas.PERSONA_DUPLICATED.append(services.usage_copy_mix)
        personas.PERSONA_DELETE_IMPACT.append(services.persona_mix_impact)
        checks.register(services.check_links)
        workspaces.HISTORY_KINDS.extend(
            [
                workspaces.HistoryKind(
                    "channel",
                    "Channels",
                    "channel",
                    Channel,
                    name=lambda record: record.name,
                    page="channels:channel_history",
                ),
                workspaces.HistoryKind(
                    "usage",
                    "Channel mixes",
                    "channel usage",
                    ChannelUsage,
                    name=lambda r: f"{shown(r, 'persona')} on {shown(r, 'channel')}",
                    page="channels:usage_history",
                    parent=lambda record: ("persona", record.persona_id),
                    undo=services.usage_undo,
                    undo_fields=frozenset(services.USAGE_FIELDS),
                ),
            ]
        )

    def _data_hooks(self) -> None:
        """The channels' rows in a workspace's backup; a write to a persona's mix
        marks her, so that her pace alone is worked out again."""
        from channels.models import Channel, ChannelUsage, UsageObservation
        from channels.services import mark_channel_mixes, mark_persona_mix
        from workspaces import registry as workspaces
        from workspaces.revision import ROW_MARKS

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
        for model in (ChannelUsage, UsageObservation):
            ROW_MARKS[model._meta.label_lower] = mark_persona_mix
        ROW_MARKS[Channel._meta.label_lower] = mark_channel_mixes

from django.apps import AppConfig


class WorkspacesConfig(AppConfig):
    name = "workspaces"

    def ready(self) -> None:
        from django.core import checks
        from simple_history.signals import post_create_historical_record

        from workspaces.backup import check_sections
        from workspaces.history import record_activity

        checks.register(check_sections)
        post_create_historical_record.connect(record_activity, dispatch_uid="workspace-activity")

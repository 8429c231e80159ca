from django.apps import AppConfig


class WorkspacesConfig(AppConfig):
    name = "workspaces"

    def ready(self) -> None:
        from django.core import checks
        from simple_history.signals import post_create_historical_record

        from workspaces.backup import check_sections
        from workspaces.history import record_activity
        from workspaces.revision import connect

        checks.register(check_sections)
        post_create_historical_record.connect(record_activity, dispatch_uid="workspace-activity")
        connect()  # every app's workspace data bumps its workspace's revision

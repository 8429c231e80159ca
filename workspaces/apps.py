from django.apps import AppConfig


class WorkspacesConfig(AppConfig):
    name = "workspaces"

    def ready(self) -> None:
        from django.core import checks

        from workspaces.backup import check_sections

        checks.register(check_sections)

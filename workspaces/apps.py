from django.apps import AppConfig


class WorkspacesConfig(AppConfig):
    name = "workspaces"
    verbose_name = "Workspaces"

    def ready(self) -> None:
        from django.core import checks

        from workspaces.backup import check_sections

        checks.register(check_sections)

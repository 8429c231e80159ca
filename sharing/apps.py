from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = "Sharing"

    def ready(self) -> None:
        from workspaces import revision

        # A visit to a shared link changes no page of the workspace.
        revision.NOT_DATA.add("sharing.shareview")

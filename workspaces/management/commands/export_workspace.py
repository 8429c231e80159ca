from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from workspaces import backup
from workspaces.models import Workspace


class Command(BaseCommand):
    help = "Write a whole workspace to standard output as a JSON backup (see import_workspace)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", help="The workspace's address: /w/<slug>/.")

    def handle(self, *args, slug: str, **options) -> None:
        workspace = Workspace.objects.filter(slug=slug).first()
        if workspace is None:
            raise CommandError(f"No workspace has the address “{slug}”.")
        try:
            document = backup.workspace_export(workspace)
        except backup.BackupRefused as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(backup.document_to_json(document))

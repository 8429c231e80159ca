from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from workspaces import backup


class Command(BaseCommand):
    help = (
        "Create a new workspace from a JSON backup made by export_workspace or the settings "
        "page: everything in it, or nothing."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The backup file, or - to read standard input.")
        parser.add_argument("--slug", required=True, help="The new workspace's address.")
        parser.add_argument("--name", help="The new workspace's name (default: the backup's).")

    def handle(self, *args, file: str, slug: str, name: str | None = None, **options) -> None:
        text = self._read(file, options.get("stdin") or sys.stdin)
        try:
            document = backup.backup_parse(text)
            workspace = backup.workspace_import(document, slug=slug, name=name)
        except backup.BackupRefused as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {workspace.name} as /w/{workspace.slug}/: "
                f"{backup.backup_summary(document)}."
            )
        )

    def _read(self, file: str, stdin) -> str:
        if file == "-":
            return stdin.read()
        try:
            with open(file, encoding="utf-8") as handle:
                return handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not a UTF-8 text file.") from None

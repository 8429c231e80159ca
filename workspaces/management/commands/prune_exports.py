from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from workspaces.models import ExportFile


class Command(BaseCommand):
    help = (
        "Delete the files that large exports wrote, once older than --days (7 by default): "
        "their jobs stay, without a download. Run it daily, e.g. from cron."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=7, help="Keep files this many days.")

    def handle(self, *args, days: int, **options) -> None:
        old = ExportFile.objects.filter(
            created_at__lt=timezone.now() - timedelta(days=max(days, 0))
        )
        deleted, _ = old.delete()
        self.stdout.write(f"{deleted} export file{'s' if deleted != 1 else ''} deleted.")

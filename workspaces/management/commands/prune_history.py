from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from workspaces.history import prune_history
from workspaces.models import Workspace


class Command(BaseCommand):
    help = (
        "Delete history older than each workspace's setting (Settings → History), keeping "
        "each object's latest version. Run it daily, e.g. from cron."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", nargs="?", help="Only this workspace (/w/<slug>/).")

    def handle(self, *args, slug: str | None = None, **options) -> None:
        workspaces = Workspace.objects.exclude(history_days=None).order_by("slug")
        if slug:
            workspaces = Workspace.objects.filter(slug=slug)
            if not workspaces.exists():
                raise CommandError(f"No workspace has the address “{slug}”.")
        for workspace in workspaces:
            pruned = prune_history(workspace)
            kept = f"{workspace.history_days} days" if workspace.history_days else "for ever"
            self.stdout.write(f"{workspace.slug}: {pruned} history rows pruned (kept {kept}).")

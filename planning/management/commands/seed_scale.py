"""Build a large workspace to measure pages on: ``manage.py seed_scale --personas 300``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from planning.scale import analyze, build_scale_workspace


class Command(BaseCommand):
    help = (
        "Create (or replace) a workspace of N personas × 10 channel usages (each observed three "
        "times over nine months), 5N/3 experiments, "
        "two N-persona plans and 20N/3 actuals, owned by owner@<slug>.example.invalid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--personas", type=int, default=300)
        parser.add_argument("--slug", default="scale")
        parser.add_argument("--password", help="Password for the workspace's owner.")

    def handle(self, *args, personas: int, slug: str, password: str | None, **options) -> None:
        built = build_scale_workspace(personas, slug)
        analyze()
        if password:
            built.owner.set_password(password)
            built.owner.save(update_fields=["password"])
        self.stdout.write(f"Workspace /w/{slug}/: {personas} personas, owner {built.owner.email}")

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from workspaces.demo import seed_people
from workspaces.registry import DEMO_SEEDERS, demo_seeding


class Command(BaseCommand):
    help = (
        "Create (or complete) the demo workspace with its three users and demo data. "
        "Idempotent: running it again changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--password",
            help="Password for the demo users. Without it, new users get a generated "
            "password (printed once) and existing users keep theirs.",
        )

    @transaction.atomic
    def handle(self, *args, password: str | None = None, **options) -> None:
        workspace, logins, users = seed_people(password)
        # Each app's demo data, in INSTALLED_APPS order: personas before their channels.
        # Seeding tells nobody by e-mail: what it notifies stays in the inboxes.
        with demo_seeding(workspace):
            made = [seed(workspace, users) for seed in DEMO_SEEDERS]
        self.stdout.write(
            self.style.SUCCESS(f"Demo workspace: {workspace.name} (/w/{workspace.slug}/)")
        )
        self.stdout.write(f"  {', '.join(what for what in made if what)}")
        self.stdout.write("Demo logins:")
        for login in logins:
            secret = login.password if login.password else "(unchanged; use --password to set)"
            self.stdout.write(f"  {login.role:<9} {login.email:<20} password: {secret}")

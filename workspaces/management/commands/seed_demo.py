from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from channels.demo import seed_channels
from experiments.demo import seed_experiments
from personas.demo import seed_personas
from planning.demo import seed_actuals, seed_plans
from workspaces.demo import seed_people


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
        personas = seed_personas(workspace, users)
        seed_channels(workspace, users, personas)
        experiments = seed_experiments(workspace, users)
        plans = seed_plans(workspace, users)
        seed_actuals(workspace, users, plans[0])
        self.stdout.write(
            self.style.SUCCESS(f"Demo workspace: {workspace.name} (/w/{workspace.slug}/)")
        )
        self.stdout.write(
            f"  {len(personas)} personas, {len(experiments)} experiments, {len(plans)} plans"
        )
        self.stdout.write("Demo logins:")
        for login in logins:
            secret = login.password if login.password else "(unchanged; use --password to set)"
            self.stdout.write(f"  {login.role:<9} {login.email:<20} password: {secret}")

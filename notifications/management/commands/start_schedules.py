from django.core.management.base import BaseCommand

from notifications import schedules


class Command(BaseCommand):
    help = (
        "Start the periodic work the worker does (new pressing signals, weekly digests) "
        "unless it is already running. Safe to run at every deploy."
    )

    def handle(self, *args, **options) -> None:
        if schedules.start():
            self.stdout.write("Periodic work queued: the worker runs it every ten minutes.")
        else:
            self.stdout.write("Periodic work is already running.")

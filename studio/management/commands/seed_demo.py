"""seed_demo: the demo studio (idempotent). Each app contributes its own part."""

import importlib
import importlib.util

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import seed_people

APPS = ["accounts", "programs", "bookings"]


class Command(BaseCommand):
    help = "Create or refresh the demo studio, users, services, hours and catalog."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: seed_demo would add demo users. Use --force.")
        users = seed_people()
        # Each app's demo.seed(users) adds its part, in dependency order.
        for app in APPS:
            if importlib.util.find_spec(f"{app}.demo") is None:
                continue
            seed = getattr(importlib.import_module(f"{app}.demo"), "seed", None)
            if seed is not None:
                seed(users)
        self.stdout.write(self.style.SUCCESS(f"Demo studio ready: {len(users)} demo users."))

from django.core.management import call_command
from django.core.management.base import BaseCommand

from kb.release_lock import release_lock


class Command(BaseCommand):
    help = (
        "A deploy's release step: migrate the database, then import content/. One server at a "
        "time (kb.release_lock): servers released together wait for each other."
    )

    def handle(self, *args, **options):
        with release_lock():
            call_command("migrate", interactive=False, stdout=self.stdout, stderr=self.stderr)
            call_command("import_content", stdout=self.stdout, stderr=self.stderr)

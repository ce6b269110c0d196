from django.core.management.base import BaseCommand, CommandError

from kb.content import ContentError, import_paths


class Command(BaseCommand):
    help = (
        "Import the source texts (default: content/) into articles, causes and remedies. "
        "Idempotent and atomic; records edited by staff since the last import are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="files or folders (default: content/)")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change, write nothing"
        )

    def handle(self, *args, paths, dry_run, **options):
        try:
            report = import_paths(paths or None, dry_run=dry_run)
        except ContentError as error:
            raise CommandError(str(error)) from None
        for line in report.summary_lines():
            style = self.style.WARNING if line.startswith("conflict") else str
            self.stdout.write(style(line))

from django.core.management.base import BaseCommand, CommandError

from kb.content import ContentError, import_paths

STAGES = {"read": "读取", "write": "写入", "index": "索引"}
BAR_WIDTH = 30


class ProgressBar:
    """One line redrawn in place (\\r) on a terminal: stage, bar, done/total."""

    def __init__(self, stream):
        self.stream = stream
        self.shown = None

    def __call__(self, stage, done, total):
        filled = BAR_WIDTH * done // max(total, 1)
        line = f"{STAGES[stage]} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}"
        if line != self.shown:
            self.stream.write(f"\r{line}", ending="")
            self.stream.flush()
            self.shown = line

    def close(self):
        if self.shown:
            self.stream.write("")  # end the bar's line


class Command(BaseCommand):
    help = (
        "Import the source texts (default: content/) into articles, causes and remedies. "
        "Idempotent and atomic; records edited by staff since the last import are left alone. "
        "Shows a progress bar when the output is a terminal."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="files or folders (default: content/)")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change, write nothing"
        )

    def handle(self, *args, paths, dry_run, **options):
        # A bar only for a person watching: logs and pipes get the summary alone.
        bar = ProgressBar(self.stdout) if self.stdout.isatty() else None
        try:
            report = import_paths(paths or None, dry_run=dry_run, progress=bar)
        except ContentError as error:
            raise CommandError(str(error)) from None
        finally:
            if bar:
                bar.close()
        for line in report.summary_lines():
            style = self.style.WARNING if line.startswith("conflict") else str
            self.stdout.write(style(line))

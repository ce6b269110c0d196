import time

from django.core.management.base import BaseCommand

from kb.search.indexer import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index from the database (after an analyzer change, or to repair)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = rebuild_index()
        seconds = time.perf_counter() - started
        self.stdout.write(f"indexed {count} documents in {seconds:.2f} s")

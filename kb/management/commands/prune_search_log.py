from django.conf import settings
from django.core.management.base import BaseCommand

from kb.search import log as search_log


class Command(BaseCommand):
    help = (
        "Delete single searches older than KB_SEARCH_LOG_RETENTION_DAYS (the daily counts stay). "
        "Each process also does it at most once an hour while writing its searches."
    )

    def handle(self, *args, **options):
        deleted = search_log.prune()
        days = settings.KB_SEARCH_LOG_RETENTION_DAYS
        self.stdout.write(f"deleted {deleted} searches older than {days} days")

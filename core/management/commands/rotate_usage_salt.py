"""Start today's usage salt now: earlier salts and visitor ids are deleted (docs/usage.md).

The first counted request of a day does the same; run this just after midnight so that a day
without visits does not keep yesterday's ids until the next one. With USAGE_COUNTING off, it
deletes every salt and visitor id, today's included.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from core.usage.recording import forget_all, rotate


class Command(BaseCommand):
    help = "Supprime les sels et empreintes de visiteurs des jours passés (comptage d'usage)."

    def handle(self, *args, **options):
        if not settings.USAGE_COUNTING:
            forget_all()
            self.stdout.write(
                self.style.SUCCESS("Comptage désactivé : sels et empreintes supprimés.")
            )
            return
        today = timezone.localdate()
        rotate(today)
        self.stdout.write(
            self.style.SUCCESS(f"Sel du {today:%d/%m/%Y} en place ; jours passés oubliés.")
        )

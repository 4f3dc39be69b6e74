import time

from django.core.management.base import BaseCommand
from django.db import connection

from directory.models import PlaceCell, PlaceCluster
from directory.tiles.cache import bump_version
from directory.tiles.clusters import rebuild


class Command(BaseCommand):
    help = (
        "Recalcule les regroupements de lieux des tuiles vectorielles (cellules et comptes "
        "par zoom), après un chargement en masse qui n'envoie pas de signal (generate_places, "
        "SQL). En une transaction : la carte garde les anciens comptes jusqu'à la fin."
    )

    def handle(self, *args, **options):
        started = time.monotonic()

        def progress(done: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"{done} lieux placés…")

        report = rebuild(progress=progress)
        bump_version()
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # The disc count reads PlaceCell by index-only scans, which skip the table only
            # for pages the visibility map says are all visible: VACUUM writes it (a bulk
            # load leaves it empty until autovacuum passes), ANALYZE the new statistics.
            tables = ", ".join(model._meta.db_table for model in (PlaceCell, PlaceCluster))
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM (ANALYZE) {tables}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.places} lieux publiés placés, {report.clusters} cellules comptées "
                f"en {time.monotonic() - started:.1f} s."
            )
        )

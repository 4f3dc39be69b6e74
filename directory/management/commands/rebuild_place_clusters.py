import time

from django.core.management.base import BaseCommand

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
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.places} lieux publiés placés, {report.clusters} cellules comptées "
                f"en {time.monotonic() - started:.1f} s."
            )
        )

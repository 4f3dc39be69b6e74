import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from directory.generators import SYNTHETIC_ORGANISATION_NAME, GeneratorError, generate_places


class Command(BaseCommand):
    help = (
        "Crée des lieux synthétiques répartis comme la population (essais de charge). "
        f"Écrit dans la base, sous l'organisation « {SYNTHETIC_ORGANISATION_NAME} »."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="Nombre de lieux à créer.")
        parser.add_argument(
            "--seed", type=int, default=1, help="Graine (même graine, mêmes lieux)."
        )
        parser.add_argument(
            "--delete-existing-synthetic",
            action="store_true",
            help="Supprimer d'abord tous les lieux synthétiques existants.",
        )

    def handle(self, *args, **options):
        quiet = options["verbosity"] == 0

        def progress(items, label, total):
            return tqdm(items, desc=label, total=total, unit=" lieux", disable=quiet, leave=False)

        started = time.monotonic()
        try:
            report = generate_places(
                count=options["count"],
                seed=options["seed"],
                delete_existing=options["delete_existing_synthetic"],
                progress=progress,
            )
        except GeneratorError as exc:
            raise CommandError(f"{exc} La base n'a pas été modifiée.") from exc
        elapsed = time.monotonic() - started
        if report.deleted:
            self.stdout.write(f"{report.deleted} lieux synthétiques supprimés.")
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.created} lieux synthétiques créés dans {report.communes} communes "
                f"en {elapsed:.1f} s."
            )
        )

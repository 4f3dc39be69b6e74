"""manage.py import_places: places from a CSV or GeoJSON file (dry run unless --wet-run)."""

from __future__ import annotations

import contextlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from core import spreadsheets
from directory.imports.readers import FORMATS, ImportFileError, format_of, read
from directory.imports.service import import_places, rejection_rows
from directory.models import Organisation, Status


class Command(BaseCommand):
    help = "Importe des lieux depuis un fichier CSV ou GeoJSON (essai à blanc sans --wet-run)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier à importer (.csv, .geojson)")
        parser.add_argument("--source", required=True, help="nom de la source (ex. cr-rhone-2026)")
        parser.add_argument("--format", choices=FORMATS, help="déduit de l'extension par défaut")
        parser.add_argument(
            "--services", help="data·inclusion : le fichier des services (compétences des lieux)"
        )
        parser.add_argument(
            "--organisation", help="slug : tous les lieux vont à cette organisation"
        )
        parser.add_argument("--wet-run", action="store_true", help="écrire (sinon : essai à blanc)")
        parser.add_argument(
            "--accept-partial",
            action="store_true",
            help="écrire les lignes valides même si d'autres sont rejetées",
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="le fichier contient toute la source : signaler ses lieux absents",
        )
        parser.add_argument(
            "--overwrite-edits",
            action="store_true",
            help="remplacer les modifications faites à la main depuis le dernier import",
        )
        parser.add_argument("--report", help="écrire les lignes rejetées dans ce fichier CSV")
        parser.add_argument("--draft", action="store_true", help="importer en brouillon")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"Organisation inconnue : {options['organisation']}")
        try:
            file_format = options["format"] or format_of(path.name)
            services = Path(options["services"]) if options["services"] else None
            if services is not None and not services.is_file():
                raise CommandError(f"Fichier introuvable : {services}")
            with (
                path.open("rb") as file,
                services.open("rb") if services else contextlib.nullcontext() as services_file,
            ):
                report = import_places(
                    read(file, file_format, services=services_file),
                    source=options["source"],
                    organisation=organisation,
                    wet_run=options["wet_run"],
                    accept_partial=options["accept_partial"],
                    overwrite_edits=options["overwrite_edits"],
                    full=options["full"],
                    status=Status.DRAFT if options["draft"] else Status.PUBLISHED,
                    progress=lambda rows: tqdm(
                        rows, desc="Lignes", unit=" lignes", disable=options["verbosity"] < 1
                    ),
                )
        except ImportFileError as error:
            raise CommandError(f"{path.name} : {error} Rien n'a été écrit.") from error
        self.stdout.write(
            f"{report.created} créés, {report.updated} mis à jour, {report.unchanged} inchangés, "
            f"{report.rejected_rows} lignes rejetées ({len(report.rejected)} problèmes), "
            f"{report.organisations_created} organisations créées."
        )
        for conflict in report.conflicts:
            kept = "remplacée" if options["overwrite_edits"] else "gardée"
            self.stdout.write(
                self.style.WARNING(
                    f"  ligne {conflict.line} : « {conflict.place} » modifié à la main depuis "
                    f"le dernier import ({', '.join(conflict.fields)}) : modification {kept}."
                )
            )
        if report.absent:
            self.stdout.write(f"{report.absent} lieux de la source absents du fichier : signalés.")
        for rejection in report.rejected[:20]:
            self.stdout.write(
                self.style.WARNING(
                    f"  ligne {rejection.line}, {rejection.column} « {rejection.value} » : "
                    f"{rejection.reason}"
                )
            )
        if len(report.rejected) > 20:
            self.stdout.write(f"  … et {len(report.rejected) - 20} autres (voir --report).")
        if options["report"]:
            with open(options["report"], "w", encoding="utf-8-sig", newline="") as out:
                spreadsheets.writer(out).writerows(rejection_rows(report))
            self.stdout.write(f"Rapport des rejets : {options['report']}")
        if report.written:
            self.stdout.write(self.style.SUCCESS("Import écrit."))
        elif not options["wet_run"]:
            self.stdout.write(self.style.NOTICE("Essai à blanc : rien n'a été écrit (--wet-run)."))
        else:
            raise CommandError(
                "Des lignes sont rejetées : rien n'a été écrit "
                "(--accept-partial écrit les lignes valides)."
            )

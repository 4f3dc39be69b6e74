"""manage.py import_notices FILE [--format ris|bibtex|unimarc|marcxml] --centre SLUG [--write]
[--accept-partial]

UNIMARC is PMB's export, in ISO 2709 (.mrc, .iso, .unimarc, .marc) or MARCXML (.xml).

Dry run by default: says, record by record, what would be created and what is rejected and
why. Nothing is written unless --write, and then nothing at all if a record is rejected
(unless --accept-partial). See resources/importer.py.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.models import Organisation
from resources.importer import (
    FORMATS,
    UnreadableFile,
    detect_format,
    import_records,
    read_records,
)


class Command(BaseCommand):
    help = (
        "Importe des notices depuis un fichier RIS, BibTeX ou UNIMARC de PMB (ISO 2709 ou "
        "MARCXML) ; essai à blanc par défaut."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format",
            choices=FORMATS,
            default=None,
            help="format du fichier, sinon d'après son extension (.ris, .bib, .mrc/.iso/"
            ".unimarc/.marc pour l'UNIMARC ISO 2709, .xml pour le MARCXML)",
        )
        parser.add_argument(
            "--centre",
            required=True,
            help="slug du centre ressources rédacteur des notices importées",
        )
        parser.add_argument("--write", action="store_true", help="écrire dans la base")
        parser.add_argument(
            "--accept-partial",
            action="store_true",
            help="écrire les notices valides même si d'autres sont rejetées",
        )

    def handle(self, *args, file: Path, format, centre, write, accept_partial, **options):
        centre_obj = Organisation.objects.filter(slug=centre, is_member_centre=True).first()
        if centre_obj is None:
            raise CommandError(f"Centre ressources inconnu : « {centre} ».")
        try:
            fmt = detect_format(file, format)
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Fichier illisible : {error.strerror} ({file}).") from None
        except UnreadableFile as error:
            raise CommandError(str(error)) from None
        try:
            records, failed = read_records(data, fmt)
        except UnreadableFile as error:
            raise CommandError(f"{file.name} : {error}. Rien n'a été écrit.") from None
        report = import_records(
            records,
            centre=centre_obj,
            write=write,
            accept_partial=accept_partial,
            failed_blocks=failed,
        )
        for result in report.results:
            where = f"notice {result.number}" if result.number > 0 else "fichier"
            if result.rejected:
                reasons = " ; ".join(result.reasons)
                self.stdout.write(
                    self.style.WARNING(f"rejetée  {where} « {result.title} » : {reasons}")
                )
            else:
                self.stdout.write(f"acceptée {where} « {result.title} »")
        accepted, rejected = len(report.accepted), len(report.rejected)
        summary = f"{accepted} notice(s) acceptée(s), {rejected} rejetée(s)."
        if report.written:
            self.stdout.write(self.style.SUCCESS(f"{summary} {accepted} écrite(s) en brouillon."))
        elif write:
            self.stdout.write(
                self.style.ERROR(
                    f"{summary} Rien n'a été écrit (--accept-partial pour écrire les autres)."
                )
            )
            raise CommandError("Import refusé : des notices sont rejetées.", returncode=1)
        else:
            self.stdout.write(
                self.style.NOTICE(f"{summary} Essai à blanc : rien n'a été écrit (--write).")
            )

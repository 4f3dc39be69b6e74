"""manage.py build_exports: the open-data files, built in advance (cron nightly, after an import)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from tqdm import tqdm

from directory.exports import builds
from directory.exports.specs import FORMATS, exports_of
from directory.exports.writers import DirectoryChanged
from directory.selectors import published_places

# Exports whose records are places, one each: the progress bar knows their total.
ONE_RECORD_PER_PLACE = {
    "places_csv",
    "places_geojson",
    "data_inclusion_structures",
    "hsds_locations",
}


def _formats(value: str) -> list[str]:
    formats = [f.strip() for f in value.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise CommandError(
            f"Format inconnu : {', '.join(unknown) if unknown else repr(value)}. "
            f"Formats : {', '.join(FORMATS)}."
        )
    return formats


def _size(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} Mo".replace(".", ",")
    return f"{size / 1_000:.0f} ko" if size >= 1_000 else f"{size} octets"


def _seconds(seconds: float) -> str:
    return f"{seconds:.1f} s".replace(".", ",")


def _count(number: float) -> str:
    return f"{number:,.0f}".replace(",", "\u202f")  # narrow no-break space, as in French


class Command(BaseCommand):
    help = (
        "Construit les fichiers de données ouvertes (CSV, GeoJSON, data·inclusion, HSDS) "
        "compressés en gzip dans EXPORTS_ROOT, chacun avec son manifeste. Un fichier n'est "
        "remplacé qu'une fois le nouveau entièrement écrit : en cas d'échec, l'ancien reste."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            default=",".join(FORMATS),
            help=f"Formats à construire, séparés par des virgules ({', '.join(FORMATS)}).",
        )
        parser.add_argument(
            "--output-dir",
            default=None,
            help="Dossier des fichiers (par défaut le réglage EXPORTS_ROOT).",
        )
        parser.add_argument(
            "--base-url",
            default=None,
            help="Adresse publique du site écrite dans les fichiers (défaut : EXPORTS_BASE_URL).",
        )

    def handle(self, *args, **options):
        exports = exports_of(_formats(options["format"]))
        base_url = (options["base_url"] or settings.EXPORTS_BASE_URL).rstrip("/")
        if not base_url:
            raise CommandError(
                "Adresse publique du site inconnue : réglez EXPORTS_BASE_URL "
                "(ex. https://reperes.example.org) ou passez --base-url."
            )
        root = Path(options["output_dir"] or str(settings.EXPORTS_ROOT))
        try:
            builds.prepare_root(root)
        except OSError as exc:
            raise CommandError(
                f"Le dossier des exports {root} n'est pas accessible en écriture ({exc}). "
                "Aucun fichier n'a été modifié."
            ) from exc
        try:
            connection.ensure_connection()
            places = published_places().count()
        except DatabaseError as exc:
            raise CommandError(
                f"Base de données injoignable ou illisible ({exc}). Aucun export n'a été modifié : "
                "les fichiers précédents restent servis."
            ) from exc

        quiet = options["verbosity"] == 0
        done = []
        for export in exports:
            total = places if export.name in ONE_RECORD_PER_PLACE else None
            with tqdm(
                desc=export.filename, total=total, unit=" enr.", disable=quiet, leave=False
            ) as bar:
                try:
                    build = builds.build(
                        export, base_url=base_url, root=root, progress=bar.update, wait=False
                    )
                except builds.BuildInProgress as exc:
                    raise CommandError(
                        f"« {export.filename} » est déjà en cours de construction par un autre "
                        "processus. Réessayez une fois celui-ci terminé."
                    ) from exc
                except (DatabaseError, DirectoryChanged) as exc:
                    raise self._failed(
                        export, done, f"erreur de la base de données ({exc})"
                    ) from exc
                except OSError as exc:
                    raise self._failed(export, done, f"erreur d'écriture ({exc})") from exc
            done.append(build)
            if not quiet:
                rate = build.rows / build.seconds if build.seconds else 0
                self.stdout.write(
                    f"{build.filename} : {_count(build.rows)} enregistrements, "
                    f"{_size(build.content_bytes)} ({_size(build.bytes)} en gzip), "
                    f"{_seconds(build.seconds)}, {_count(rate)} enr./s"
                )
        if quiet:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(done)} fichier(s) construit(s) dans {root} "
                f"({_size(sum(b.bytes for b in done))} en gzip, "
                f"{_seconds(sum(b.seconds for b in done))})."
            )
        )

    def _failed(self, export, done, reason: str) -> CommandError:
        built = ", ".join(b.filename for b in done) or "aucun"
        return CommandError(
            f"Échec de « {export.filename} » : {reason}. Le fichier précédent reste servi. "
            f"Déjà reconstruits : {built}."
        )

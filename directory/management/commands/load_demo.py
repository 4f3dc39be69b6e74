from django.core.management.base import BaseCommand

from directory.demo import load_demo


def _counts(counts: dict[str, int]) -> str:
    return (
        f"{counts['created']} créé(s), {counts['updated']} mis à jour, "
        f"{counts['unchanged']} inchangé(s)"
    )


class Command(BaseCommand):
    help = (
        "Charge le contenu de démonstration (centres ressources, acteurs, lieux, pratiques). "
        "Sans --wet-run : rien n'est écrit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Écrire dans la base.")

    def handle(self, *args, **options):
        report = load_demo(write=options["wet_run"])
        verb = "Chargé" if report.written else "Vérifié (rien écrit, ajoutez --wet-run)"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} : organisations {_counts(report.organisations)} ; "
                f"lieux {_counts(report.places)}."
            )
        )
        for module, counts in report.extensions.items():
            details = ", ".join(f"{n} {label}" for label, n in counts.items())
            self.stdout.write(self.style.SUCCESS(f"{module} : {details}."))
        if report.skipped:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.skipped)} lieu(x) ignoré(s), commune absente de la base : "
                    + ", ".join(f"{slug} ({code})" for slug, code in report.skipped)
                )
            )
        if report.misplaced:
            self.stdout.write(
                self.style.WARNING(
                    "Point hors de la commune annoncée : "
                    + ", ".join(
                        f"{slug} ({wanted} attendue, {found or 'aucune'} trouvée)"
                        for slug, wanted, found in report.misplaced
                    )
                )
            )

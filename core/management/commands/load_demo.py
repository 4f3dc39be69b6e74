from django.core.management.base import BaseCommand

from core.demo import load_demo


class Command(BaseCommand):
    help = (
        "Charge le contenu de démonstration de chaque application (centres ressources, "
        "acteurs, lieux, pratiques). Sans --wet-run : rien n'est écrit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Écrire dans la base.")

    def handle(self, *args, **options):
        reports = load_demo(write=options["wet_run"])
        verb = "Chargé" if options["wet_run"] else "Vérifié (rien écrit, ajoutez --wet-run)"
        if not reports:
            self.stdout.write(self.style.WARNING(f"{verb} : aucun contenu de démonstration."))
        # The first line says what the run did; each further app's line is headed by its name.
        for index, (module, report) in enumerate(reports.items()):
            heading = verb if index == 0 else module
            self.stdout.write(self.style.SUCCESS(f"{heading} : {report.summary()}."))
        for report in reports.values():
            for warning in report.warnings():
                self.stdout.write(self.style.WARNING(warning))

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Charge le contenu de démonstration (acteurs, lieux, pratiques). Sans --wet-run : rien n'est écrit."

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Écrire dans la base.")

    def handle(self, *args, **options):
        self.stdout.write("Aucun contenu de démonstration à charger pour l'instant.")

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from core.reminders import describe, send_reminders


class Command(BaseCommand):
    help = (
        "Envoie à chaque éditeur la liste des informations à confirmer (lieux non vérifiés "
        "depuis FRESHNESS_MONTHS mois, fiches pratiques « toujours en cours ? »), avec un lien "
        "de confirmation en un clic. Pour cron : une fois par semaine ou par mois. "
        "--dry-run : montre les destinataires, n'envoie rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Ne rien envoyer.")

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        with translation.override(settings.LANGUAGE_CODE):
            report = send_reminders(today=timezone.localdate(), dry_run=dry_run)
            lines = [describe(mail) for mail in report.mails]
        rows = sum(mail.count for mail in report.mails)
        if options["verbosity"] >= 1:  # -v0 for cron: silent unless something failed
            for line in lines:
                self.stdout.write(line)
            if dry_run:
                self.stdout.write(
                    self.style.WARNING(
                        f"Rien envoyé (--dry-run) : {len(report.mails)} courriel(s) à envoyer, "
                        f"{rows} information(s) à confirmer."
                    )
                )
            else:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{report.sent} courriel(s) envoyé(s), {rows} information(s) à confirmer."
                    )
                )
        if report.failed:
            raise CommandError("Non envoyé à : " + ", ".join(report.failed))

"""The usage tables: daily counters, today's pseudonymous visitors and today's salt.

Nothing here holds an address, a user agent or a typed text (docs/usage.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class UsageCounter(models.Model):
    """How many times `metric` (with `key`: a section, a slug, an id, a file, a domain)
    happened on `day` (local date). Incremented by one upsert per request (recording.py)."""

    day = models.DateField(_("jour"))
    metric = models.CharField(_("mesure"), max_length=40)
    key = models.CharField(_("clé"), max_length=200, blank=True, default="")
    count = models.BigIntegerField(_("nombre"), default=0)

    class Meta:
        app_label = "core"
        verbose_name = _("compteur de fréquentation")
        verbose_name_plural = _("fréquentation (rapport d'activité)")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "metric", "key"], name="usagecounter_day_metric_key"
            )
        ]
        permissions = [("view_activity_report", _("Consulter le rapport d'activité"))]

    def __str__(self) -> str:
        return f"{self.day} {self.metric} {self.key}: {self.count}"


class UsageVisitor(models.Model):
    """A visitor seen today: an HMAC of (address, user agent) under today's salt. Rows of
    earlier days are deleted with their salt, so no id outlives its day."""

    day = models.DateField(_("jour"))
    visitor = models.CharField(_("visiteur (empreinte du jour)"), max_length=32)

    class Meta:
        app_label = "core"
        verbose_name = _("visiteur du jour")
        verbose_name_plural = _("visiteurs du jour")
        constraints = [
            models.UniqueConstraint(fields=["day", "visitor"], name="usagevisitor_day_visitor")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.visitor}"


class UsageSalt(models.Model):
    """Today's random salt, shared by every process; deleted at the next day's rotation."""

    day = models.DateField(_("jour"), primary_key=True)
    salt = models.CharField(_("sel"), max_length=64)

    class Meta:
        app_label = "core"
        verbose_name = _("sel du jour")
        verbose_name_plural = _("sels du jour")

    def __str__(self) -> str:
        return str(self.day)

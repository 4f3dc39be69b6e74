"""The press watch (« veille »): dated items pointing to articles published elsewhere,
each with its own short summary, written by a member centre and published by a moderator
like the notices (same statuses, same rules: resources/rules.py)."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directory.models import Organisation
from geodata.models import Region
from practices.models import SheetStatus, Theme

# A short summary: what the panorama, the feeds and the embed show in full.
SUMMARY_MAX_LENGTH = 600


class WatchItem(models.Model):
    title = models.CharField(_("titre"), max_length=300)
    url = models.URLField(
        _("lien"), max_length=500, unique=True, help_text=_("L'adresse de l'article cité.")
    )
    source = models.CharField(
        _("source"), max_length=200, help_text=_("Le journal, le site ou la revue qui publie.")
    )
    published_on = models.DateField(_("date de parution"))
    summary = models.CharField(
        _("résumé"),
        max_length=SUMMARY_MAX_LENGTH,
        help_text=_("Quelques phrases, dans nos mots (600 caractères au plus)."),
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("thèmes"), blank=True, related_name="watch_items"
    )
    regions = models.ManyToManyField(
        Region,
        verbose_name=_("régions"),
        blank=True,
        related_name="watch_items",
        help_text=_("Aucune : l'article concerne toute la France."),
    )
    author_centre = models.ForeignKey(
        Organisation,
        verbose_name=_("centre ressources rédacteur"),
        on_delete=models.PROTECT,
        related_name="watch_items",
        limit_choices_to={"is_member_centre": True},
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[themes, regions])

    class Meta:
        verbose_name = _("article de veille")
        verbose_name_plural = _("veille")
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["status", "-published_on"], name="watch_status_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(summary=""),
                name="watch_item_has_summary",
                violation_error_message=_("Un article de veille doit avoir un résumé."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        self.title = (self.title or "").strip()
        self.source = (self.source or "").strip()
        self.summary = (self.summary or "").strip()

"""The documentary base: bibliographic notices, their authors, bibliographies and dossiers."""

from __future__ import annotations

import calendar

from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directory.languages import LANGUAGES
from directory.models import Competence, Organisation
from practices.models import PracticeSheet, Scope, SheetStatus, Theme, area_fields

from . import identifiers
from .files import notice_storage, validate_pdf

__all__ = ["Scope", "SheetStatus", "NoticeStatus", "WatchItem"]

# A notice goes through the same states as a practice sheet (same labels, same rules).
NoticeStatus = SheetStatus
MIN_YEAR, MAX_YEAR = 1800, 2100
# Fixed pages under /documentation/ (resources/urls.py): a notice cannot take their name.
RESERVED_SLUGS = frozenset({"bibliographies", "veille", "demandes", "oai"})


def validate_language(code: str) -> None:
    # No `choices` on the field: the directory's list of languages may grow without a
    # migration here.
    if code and code not in LANGUAGES:
        raise ValidationError(
            _("« %(code)s » n'est pas un code de langue connu (ISO 639-1, ex. fr, en, ar)."),
            params={"code": code},
        )


def language_label(code: str) -> str:
    """The language's name in French as the directory keeps it."""
    name = LANGUAGES.get(code, code)
    return name if isinstance(name, str) else name[0]


class NoticeType(models.TextChoices):
    REPORT = "report", _("Rapport")
    STUDY = "study", _("Étude")
    ARTICLE = "article", _("Article")
    BOOK = "book", _("Ouvrage")
    GUIDE = "guide", _("Guide")
    VIDEO = "video", _("Vidéo")
    TEACHING_TOOL = "teaching_tool", _("Outil pédagogique")
    LEGAL_TEXT = "legal_text", _("Texte juridique")
    OTHER = "other", _("Autre")


class AuthorKind(models.TextChoices):
    PERSON = "person", _("Personne")
    ORGANISATION = "organisation", _("Organisation")


def notice_file_path(notice: Notice, filename: str) -> str:
    return f"notices/{notice.slug or 'document'}.pdf"


class Notice(models.Model):
    title = models.CharField(_("titre"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    type = models.CharField(
        _("type de document"), max_length=16, choices=NoticeType.choices, default=NoticeType.REPORT
    )
    # A partial date: the year alone is common (a report "2019").
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("mois"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("jour"), null=True, blank=True)
    publisher = models.CharField(_("éditeur"), max_length=200, blank=True)
    place_published = models.CharField(_("lieu d'édition"), max_length=100, blank=True)
    container_title = models.CharField(
        _("revue ou collection"),
        max_length=200,
        blank=True,
        help_text=_("Pour un article : la revue ; pour un ouvrage : la collection."),
    )
    pages = models.CharField(_("pages"), max_length=30, blank=True)
    # The authors' names in order, kept by services.notice_set_authors: searched, and listed.
    authors_text = models.CharField(_("auteurs"), max_length=1000, blank=True, editable=False)
    abstract = models.TextField(
        _("résumé"), blank=True, help_text=_("Obligatoire pour publier la notice.")
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("thèmes"), blank=True, related_name="notices"
    )
    competences = models.ManyToManyField(
        Competence, verbose_name=_("compétences"), blank=True, related_name="notices"
    )
    scope, communes, department, region = area_fields(
        default=Scope.NATIONAL, related_name="notices"
    )
    language = models.CharField(
        _("langue"),
        max_length=3,
        default="fr",
        blank=True,
        validators=[validate_language],
        help_text=_("Code ISO 639-1 : fr, en, ar…"),
    )
    url = models.URLField(_("lien"), max_length=500, blank=True)
    file = models.FileField(
        _("document PDF"),
        storage=notice_storage,
        upload_to=notice_file_path,
        max_length=250,
        blank=True,
        validators=[validate_pdf],
    )
    isbn = models.CharField(_("ISBN"), max_length=17, blank=True)
    issn = models.CharField(_("ISSN"), max_length=9, blank=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True)
    holding_centre = models.ForeignKey(
        Organisation,
        verbose_name=_("centre ressources détenteur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="held_notices",
        limit_choices_to={"is_member_centre": True},
    )
    lendable = models.BooleanField(_("peut être prêté"), default=False)
    author_centre = models.ForeignKey(
        Organisation,
        verbose_name=_("centre ressources rédacteur de la notice"),
        on_delete=models.PROTECT,
        related_name="written_notices",
        limit_choices_to={"is_member_centre": True},
    )
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("organisations de l'annuaire liées"),
        blank=True,
        related_name="notices",
    )
    practice_sheets = models.ManyToManyField(
        PracticeSheet,
        verbose_name=_("fiches pratiques liées"),
        blank=True,
        related_name="notices",
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[themes, competences])

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-year", "title"]
        permissions = [("moderate_notice", _("Peut publier les notices"))]
        indexes = [models.Index(fields=["status"], name="notice_status_idx")]
        constraints = [
            # The network's rule, held by the database too: no published notice without abstract.
            models.CheckConstraint(
                condition=~Q(status="published") | ~Q(abstract=""),
                name="notice_published_has_abstract",
                violation_error_message=_("Une notice publiée doit avoir un résumé."),
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="notice_month_range",
            ),
            models.CheckConstraint(
                condition=Q(day__isnull=True) | Q(month__isnull=False, day__gte=1, day__lte=31),
                name="notice_day_needs_month",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:notice", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}

        def add(field: str, message) -> None:
            errors.setdefault(field, []).append(message)

        if self.slug in RESERVED_SLUGS:
            add(
                "slug",
                _("« %(slug)s » est l'adresse d'une page du site : choisissez-en une autre.")
                % {"slug": self.slug},
            )

        if self.status == NoticeStatus.PUBLISHED and not (self.abstract or "").strip():
            add("abstract", _("Le résumé est obligatoire pour publier une notice."))
        self.abstract = (self.abstract or "").strip()
        if self.year is not None and not MIN_YEAR <= self.year <= MAX_YEAR:
            add(
                "year",
                _("L'année doit être comprise entre %(min)s et %(max)s.")
                % {"min": MIN_YEAR, "max": MAX_YEAR},
            )
        if self.month is not None:
            if self.year is None:
                add("month", _("Indiquez l'année avant le mois."))
            elif not 1 <= self.month <= 12:
                add("month", _("Le mois va de 1 à 12."))
        if self.day is not None:
            if self.month is None or not 1 <= (self.month or 0) <= 12:
                add("day", _("Indiquez le mois avant le jour."))
            elif self.year and not 1 <= self.day <= calendar.monthrange(self.year, self.month)[1]:
                add("day", _("Ce jour n'existe pas dans ce mois."))
        for name, check in (
            ("isbn", identifiers.clean_isbn),
            ("issn", identifiers.clean_issn),
            ("doi", identifiers.clean_doi),
        ):
            try:
                setattr(self, name, check(getattr(self, name)))
            except ValidationError as error:
                add(name, error.messages[0])
        if self.lendable and not self.holding_centre_id:
            add("lendable", _("Un document prêtable doit avoir un centre détenteur."))
        if errors:
            raise ValidationError(errors)

    def get_language_display(self) -> str:
        return language_label(self.language)

    @property
    def requestable(self) -> bool:
        """« Demander ce document »: published, lendable, and its holding centre has an e-mail."""
        centre = self.holding_centre
        return bool(
            self.status == NoticeStatus.PUBLISHED and self.lendable and centre and centre.email
        )

    @property
    def date_parts(self) -> list[int]:
        return [p for p in (self.year, self.month, self.day) if p] if self.year else []


class NoticeAuthor(models.Model):
    """An author, in the order of the title page: a person ("Nom, Prénom") or an organisation."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="authors")
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    kind = models.CharField(
        _("type"), max_length=12, choices=AuthorKind.choices, default=AuthorKind.PERSON
    )
    name = models.CharField(
        _("nom"),
        max_length=200,
        help_text=_("Une personne : « Nom, Prénom ». Une organisation : son nom."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation de l'annuaire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authored_notices",
    )

    class Meta:
        verbose_name = _("auteur")
        verbose_name_plural = _("auteurs")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def family_given(self) -> tuple[str, str]:
        family, _sep, given = self.name.partition(",")
        return family.strip(), given.strip()


class BibliographyKind(models.TextChoices):
    BIBLIOGRAPHY = "bibliography", _("Bibliographie")
    DOSSIER = "dossier", _("Dossier documentaire")


class Bibliography(models.Model):
    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(
        _("type"),
        max_length=12,
        choices=BibliographyKind.choices,
        default=BibliographyKind.BIBLIOGRAPHY,
    )
    introduction = models.TextField(_("introduction"), blank=True)
    author_centre = models.ForeignKey(
        Organisation,
        verbose_name=_("centre ressources rédacteur"),
        on_delete=models.PROTECT,
        related_name="bibliographies",
        limit_choices_to={"is_member_centre": True},
    )
    notices = models.ManyToManyField(
        Notice,
        through="BibliographyEntry",
        verbose_name=_("notices"),
        related_name="bibliographies",
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bibliographie ou dossier")
        verbose_name_plural = _("bibliographies et dossiers")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:bibliography", kwargs={"slug": self.slug})


class BibliographyEntry(models.Model):
    bibliography = models.ForeignKey(Bibliography, on_delete=models.CASCADE, related_name="entries")
    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="entries"
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    comment = models.CharField(_("commentaire"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("notice de la bibliographie")
        verbose_name_plural = _("notices de la bibliographie")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bibliography", "notice"], name="bibliography_entry_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.notice)


# The press watch lives in its own module; imported here so Django finds the model.
from .watch_models import WatchItem  # noqa: E402

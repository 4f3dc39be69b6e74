from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directory.models import Organisation, Place, Taxonomy
from geodata.models import WGS84, Commune, Department, Region

# The years a sheet's dates may fall in, hence the bounds of every year filter (form, API).
# 1900: the lowest bound in use before (the API's), so no stored sheet or shared link breaks.
MIN_YEAR, MAX_YEAR = 1900, 2100

# The text fields of the European integration portal's practice template, in order.
TEXT_FIELDS = [
    "summary",
    "context",
    "goals",
    "how_it_works",
    "results",
    "evaluation",
    "beneficiaries",
    "funding",
    "transferability",
]


class Theme(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")


class Scope(models.TextChoices):
    COMMUNES = "communes", _("Une ou plusieurs communes")
    DEPARTMENT = "department", _("Un département")
    REGION = "region", _("Une région")
    NATIONAL = "national", _("National")


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    IN_REVIEW = "in_review", _("En relecture")
    PUBLISHED = "published", _("Publiée")


def area_fields(*, default: str, related_name: str) -> tuple:
    """The territory an entry covers: its scope and, as the scope asks, communes, a
    département or a région (practice sheets and notices). Unpacked in the model's body:
    `scope, communes, department, region = area_fields(…)`."""
    scope = models.CharField(
        _("territoire couvert"), max_length=12, choices=Scope.choices, default=default
    )
    communes = models.ManyToManyField(
        Commune, verbose_name=_("communes"), blank=True, related_name=related_name
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("département"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("région"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
        help_text=_("Déduite du territoire couvert si elle n'est pas choisie."),
    )
    return scope, communes, department, region


class PracticeSheet(models.Model):
    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.TextField(_("résumé"), help_text=_("Markdown accepté."))
    context = models.TextField(_("contexte et enjeu"), blank=True)
    goals = models.TextField(_("objectifs"), blank=True)
    how_it_works = models.TextField(_("fonctionnement"), blank=True)
    results = models.TextField(_("résultats"), blank=True)
    evaluation = models.TextField(_("évaluation"), blank=True)
    beneficiaries = models.TextField(_("bénéficiaires (qui, combien)"), blank=True)
    funding = models.TextField(_("financement et moyens"), blank=True)
    transferability = models.TextField(_("transférabilité"), blank=True)
    start_date = models.DateField(_("début"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    became_regular_service = models.BooleanField(_("devenue un service pérenne"), default=False)
    scope, communes, department, region = area_fields(
        default=Scope.COMMUNES, related_name="practice_sheets"
    )
    points = models.MultiPointField(
        _("lieux précis (facultatif)"), srid=WGS84, null=True, blank=True
    )
    # Where the sheet sits on the map: its first point, else the centre of its area.
    location = models.PointField(
        _("position sur la carte"), srid=WGS84, null=True, blank=True, editable=False
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("thèmes"), related_name="sheets")
    places = models.ManyToManyField(
        Place,
        verbose_name=_("lieux de l'annuaire liés"),
        blank=True,
        related_name="practice_sheets",
    )
    author_centre = models.ForeignKey(
        Organisation,
        verbose_name=_("centre ressources rédacteur"),
        on_delete=models.PROTECT,
        related_name="written_sheets",
        limit_choices_to={"is_member_centre": True},
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    review_date = models.DateField(
        _("toujours en cours ? vérifié le"),
        null=True,
        blank=True,
        help_text=_("Date à laquelle on a vérifié que la pratique existe toujours."),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        verbose_name = _("fiche pratique")
        verbose_name_plural = _("fiches pratiques")
        ordering = ["title"]
        permissions = [("moderate_sheet", _("Peut publier les fiches pratiques"))]
        indexes = [models.Index(fields=["status"], name="sheet_status_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:sheet", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        errors = {
            name: _("L'année doit être comprise entre %(min)s et %(max)s.")
            % {"min": MIN_YEAR, "max": MAX_YEAR}
            for name in ("start_date", "end_date")
            if (value := getattr(self, name)) and not MIN_YEAR <= value.year <= MAX_YEAR
        }
        if errors:
            raise ValidationError(errors)

    @property
    def is_running(self) -> bool:
        return (
            self.became_regular_service
            or self.end_date is None
            or self.end_date >= timezone.localdate()
        )


class ActorRole(models.TextChoices):
    CARRIER = "carrier", _("Porteur")
    PARTNER = "partner", _("Partenaire")
    FUNDER = "funder", _("Financeur")


class SheetActor(models.Model):
    sheet = models.ForeignKey(PracticeSheet, on_delete=models.CASCADE, related_name="actors")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="practice_roles",
    )
    role = models.CharField(_("rôle"), max_length=10, choices=ActorRole.choices)

    class Meta:
        verbose_name = _("acteur")
        verbose_name_plural = _("acteurs")
        ordering = ["role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "organisation", "role"], name="sheetactor_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class SourceLink(models.Model):
    sheet = models.ForeignKey(PracticeSheet, on_delete=models.CASCADE, related_name="sources")
    url = models.URLField(_("adresse"), max_length=500)
    label = models.CharField(_("intitulé"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.label or self.url

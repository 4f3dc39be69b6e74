from functools import lru_cache

import opening_hours
from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from geodata.models import WGS84, Commune, Precision

from .hours import parse as parse_hours
from .validators import split_languages, validate_language_codes, validate_opening_hours


def name_field(language: str) -> str:
    """The column holding a taxonomy's name in an interface language: "fa-af" → name_fa_af."""
    return "name" if language == "fr" else "name_" + language.lower().replace("-", "_")


class Taxonomy(models.Model):
    """A small managed vocabulary with stable slugs (seeded by data migrations).

    `name` is the French reference, the one the API and the exports publish; each other
    interface language (settings.LANGUAGES) has its own column, shown when filled. Plain
    columns rather than django-modeltranslation: its descriptor makes `name` itself follow
    the active language, which would change what the API, exports and imports read and write.
    """

    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    name_en = models.CharField(_("nom (anglais)"), max_length=120, blank=True)
    name_ar = models.CharField(_("nom (arabe)"), max_length=120, blank=True)
    name_uk = models.CharField(_("nom (ukrainien)"), max_length=120, blank=True)
    name_fa_af = models.CharField(_("nom (dari)"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.label

    def name_in(self, language: str | None) -> str:
        """The name in that interface language, French where it has none."""
        for code, _name in settings.LANGUAGES:
            if language and (language.lower() == code or language.lower().startswith(code + "-")):
                return getattr(self, name_field(code), "") or self.name
        return self.name

    @property
    def label(self) -> str:
        return self.name_in(get_language())

    @property
    def names(self) -> dict[str, str]:
        """Every interface language's name, French included; "" where none is written."""
        return {code: getattr(self, name_field(code), "") for code, _name in settings.LANGUAGES}


class Competence(Taxonomy):
    data_inclusion_code = models.CharField(
        _("thématique data·inclusion"), max_length=120, blank=True
    )

    class Meta(Taxonomy.Meta):
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")


class Kind(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("type de lieu")
        verbose_name_plural = _("types de lieu")


class LegalKind(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    LOCAL_AUTHORITY = "local_authority", _("Collectivité territoriale")
    STATE_SERVICE = "state_service", _("Service de l'État")
    PUBLIC_BODY = "public_body", _("Établissement public")
    COMPANY = "company", _("Entreprise")
    OTHER = "other", _("Autre")


class Organisation(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(_("présentation courte"), blank=True)
    legal_kind = models.CharField(
        _("statut juridique"),
        max_length=20,
        choices=LegalKind.choices,
        default=LegalKind.ASSOCIATION,
    )
    website = models.URLField(_("site web"), blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    is_member_centre = models.BooleanField(
        _("centre ressources du réseau"),
        default=False,
        help_text=_("Membre du réseau : peut référencer des acteurs et rédiger des fiches."),
    )
    trusted_editors = models.BooleanField(
        _("éditeurs de confiance"),
        default=False,
        help_text=_(
            "Leurs modifications de lieux et de fiches déjà publiés sont en ligne aussitôt ; "
            "sinon elles attendent la relecture d'un modérateur."
        ),
    )
    referent_centre = models.ForeignKey(
        "self",
        verbose_name=_("centre ressources référent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referred_organisations",
        limit_choices_to={"is_member_centre": True},
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("éditeurs"),
        blank=True,
        related_name="organisations",
        help_text=_("Comptes qui peuvent modifier les lieux de cette organisation."),
    )
    embed_domains = models.TextField(
        _("domaines autorisés à intégrer les cartes"),
        blank=True,
        help_text=_(
            "Un domaine par ligne (ex. www.exemple.fr). Vide : toute page peut intégrer "
            "les cartes de ce centre."
        ),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["editors"])

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:organisation", kwargs={"slug": self.slug})


class Status(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publié")
    ARCHIVED = "archived", _("Archivé")


class Access(models.TextChoices):
    UNKNOWN = "", _("non renseigné")
    YES = "yes", _("accessible")
    PARTIAL = "partial", _("partiellement accessible")
    NO = "no", _("non accessible")


def place_url_parts() -> tuple[str, str]:
    """A place page's path before and after its slug (reversed once per URL prefix), so that
    rows without a model instance, and SQL, write the same URL as Place.get_absolute_url."""
    return _place_url_parts(get_script_prefix(), get_urlconf())


@lru_cache(maxsize=8)
def _place_url_parts(script_prefix: str, urlconf: str | None) -> tuple[str, str]:
    # The arguments are the cache key: reverse() reads both itself.
    head, _sep, tail = reverse("directory:place", kwargs={"slug": "slug"}).rpartition("slug")
    return head, tail


def address_text(street: str, postal_code: str, town: str) -> str:
    """ "12 rue X, 69007 Lyon": a place's address as pages and the API show it."""
    return ", ".join(p for p in (street, f"{postal_code} {town}".strip()) if p)


def hours_of(text: str) -> "opening_hours.OpeningHours | None":
    """Opening hours as parsed (hours.parse, cached per text); None when empty or invalid."""
    if not text:
        return None
    try:
        return parse_hours(text)
    except (opening_hours.ParserError, ValueError):
        return None


class Place(models.Model):
    """Where an organisation receives people."""

    name = models.CharField(_("nom du lieu"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="places",
    )
    description = models.TextField(_("ce qu'on y trouve"), blank=True)
    kinds = models.ManyToManyField(Kind, verbose_name=_("types de lieu"), related_name="places")
    competences = models.ManyToManyField(
        Competence, verbose_name=_("compétences"), related_name="places"
    )
    street = models.CharField(_("adresse"), max_length=200, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("ville (saisie)"), max_length=120, blank=True)
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="places",
        help_text=_("Déduite du point sur la carte."),
    )
    location = models.PointField(_("position"), srid=WGS84, geography=True)
    geocode_precision = models.CharField(
        _("précision de la position"), max_length=12, choices=Precision.choices, blank=True
    )
    geocode_label = models.CharField(_("adresse trouvée"), max_length=250, blank=True)
    opening_hours = models.CharField(
        _("horaires (syntaxe OpenStreetMap)"),
        max_length=255,
        blank=True,
        validators=[validate_opening_hours],
        help_text=_("Par ex. « Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00 »."),
    )
    appointment_only = models.BooleanField(_("sur rendez-vous uniquement"), default=False)
    languages = models.CharField(
        _("langues parlées"),
        max_length=120,
        blank=True,
        validators=[validate_language_codes],
        help_text=_("Codes ISO 639-1 séparés par des virgules, par ex. « fr,en,ar »."),
    )
    interpreting = models.BooleanField(_("interprétariat possible"), default=False)
    wheelchair = models.CharField(
        _("accès fauteuil roulant"), max_length=8, choices=Access.choices, blank=True, default=""
    )
    public = models.CharField(_("public accueilli"), max_length=200, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    status = models.CharField(
        _("statut de publication"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    last_verified = models.DateField(
        _("dernière vérification"),
        null=True,
        blank=True,
        help_text=_("Date à laquelle les informations ont été confirmées auprès du lieu."),
    )
    # Where an imported place comes from: the source's name and the place's id there
    # (directory/imports/). Empty for places entered by hand.
    source = models.CharField(_("source d'import"), max_length=64, blank=True, default="")
    source_id = models.CharField(
        _("identifiant dans la source"), max_length=128, blank=True, default=""
    )
    # What the source said at the last import (a hash of the checked row) and when: a later
    # import tells a change of the source from a hand edit made since (directory/imports/).
    import_fingerprint = models.CharField(max_length=64, blank=True, default="", editable=False)
    imported_at = models.DateTimeField(_("dernier import"), null=True, blank=True, editable=False)
    absent_from_import = models.BooleanField(
        _("absent du dernier import"),
        default=False,
        help_text=_("Le dernier import complet de sa source ne le contenait plus."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[kinds, competences])

    class Meta:
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")
        ordering = ["name"]
        permissions = [("moderate_place", _("Peut publier et archiver les lieux"))]
        indexes = [
            models.Index(fields=["status"], name="place_status_idx"),
            # Pages by name (keyset paging: name, then id).
            models.Index(fields=["name", "id"], name="place_name_id_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~Q(source=""),
                name="place_unique_source_id",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:place", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        # One spelling ("fr,ar"), so that the language filter finds what editors typed.
        self.languages = ",".join(split_languages(self.languages))

    @property
    def language_codes(self) -> list[str]:
        return split_languages(self.languages)

    @cached_property
    def hours(self) -> "opening_hours.OpeningHours | None":
        return hours_of(self.opening_hours)

    @property
    def address(self) -> str:
        town = self.commune.name if self.commune_id else self.city
        return address_text(self.street, self.postal_code, town)


# --- Vector tiles: places counted per map cell (directory/tiles/) -----------------------


class ClusterDimension(models.TextChoices):
    ALL = "all", _("tous les lieux")
    COMPETENCE = "competence", _("une compétence")
    REGION = "region", _("une région")
    DEPARTMENT = "department", _("un département")


class PlaceCell(models.Model):
    """A published place as the cluster counts hold it: its cell, point and dimensions.

    Derived data, kept by directory/tiles/clusters.py (signals) and rebuilt by
    `manage.py rebuild_place_clusters`. No database constraint ties it to the place,
    so that bulk deletes of places never fail on it; a rebuild drops leftovers.
    """

    place = models.OneToOneField(
        Place,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="tile_cell",
    )
    cell = models.BigIntegerField()  # Morton code of the place's zoom-16 tile
    lon = models.FloatField()
    lat = models.FloatField()
    region_pk = models.PositiveIntegerField(null=True)
    department_pk = models.PositiveIntegerField(null=True)
    competence_pks = models.CharField(max_length=500, blank=True)  # "3,5"

    class Meta:
        # The disc count reads the places of its edge cells by ranges of `cell`: with the
        # other columns in the index (PostgreSQL), an index-only scan, no table row read
        # (directory/tiles/disc.py; SQLite builds the same index on `cell` alone).
        indexes = [
            models.Index(
                fields=["cell"],
                include=["lon", "lat", "competence_pks", "region_pk", "department_pk"],
                name="place_cell_cover_idx",
            )
        ]


class PlaceCluster(models.Model):
    """How many published places a map cell holds at a zoom, and their mean point.

    `dimension` and `value` say which places: all of them, or those of one
    competence, région or département (`value` is its id; 0 for all). The sums
    make increments and decrements exact; the mean is `lon_sum / count`.
    """

    # The key is the index the tiles read: a range of cells of one dimension and zoom.
    pk = models.CompositePrimaryKey("dimension", "value", "zoom", "cell")
    dimension = models.CharField(max_length=10, choices=ClusterDimension.choices)
    value = models.PositiveIntegerField(default=0)
    zoom = models.PositiveSmallIntegerField()
    cell = models.BigIntegerField()  # Morton code of the cell: the tile of zoom + 3
    count = models.IntegerField()
    lon_sum = models.FloatField()
    lat_sum = models.FloatField()

    def __str__(self) -> str:
        return f"{self.dimension}:{self.value} z{self.zoom} #{self.cell} ({self.count})"

    @property
    def lon(self) -> float:
        return self.lon_sum / self.count

    @property
    def lat(self) -> float:
        return self.lat_sum / self.count


# --- « Signaler une erreur »: corrections sent by the public (directory/suggestions/) ----


class SuggestionKind(models.TextChoices):
    ADDRESS = "address", _("L'adresse")
    HOURS = "hours", _("Les horaires")
    CONTACT = "contact", _("Le téléphone ou le courriel")
    SERVICES = "services", _("Les services proposés")
    CLOSED = "closed", _("Le lieu a fermé")
    OTHER = "other", _("Autre chose")


class SuggestionStatus(models.TextChoices):
    NEW = "new", _("nouvelle")
    ACCEPTED = "accepted", _("acceptée")
    REFUSED = "refused", _("refusée")


class Suggestion(models.Model):
    """A correction of a place sent from its public page, waiting for its editors."""

    place = models.ForeignKey(
        Place, verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="suggestions"
    )
    kind = models.CharField(_("ce qui est inexact"), max_length=10, choices=SuggestionKind.choices)
    message = models.TextField(_("la bonne information"))
    email = models.EmailField(_("courriel de la personne"), blank=True)
    # The language she wrote in: the answer is sent in it.
    language = models.CharField(_("langue"), max_length=10, blank=True, editable=False)
    # A keyed hash of her address (core/ratelimit.py), never the address itself.
    ip_hash = models.CharField(
        _("adresse IP (empreinte)"), max_length=64, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True)
    status = models.CharField(
        _("état"), max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.NEW
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traitée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    reply = models.TextField(
        _("réponse à la personne"),
        blank=True,
        help_text=_("Facultatif : ajoutée au courriel qui lui annonce la décision."),
    )

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["place", "status"], name="suggestion_place_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=SuggestionStatus.NEW) | Q(handled_at__isnull=False),
                name="suggestion_handled_has_date",
            )
        ]

    def __str__(self) -> str:
        return _("Signalement n° %(number)s") % {"number": self.pk}

    @property
    def is_open(self) -> bool:
        return self.status == SuggestionStatus.NEW

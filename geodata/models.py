from django.contrib.gis.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The one SRID of the project: longitude/latitude on WGS84.
WGS84 = 4326


class Precision(models.TextChoices):
    """How closely a point locates what it stands for: what a geocoder found, or a person."""

    ADDRESS = "address", _("adresse")
    STREET = "street", _("rue")
    POSTAL_CODE = "postal_code", _("code postal")
    COMMUNE = "commune", _("commune")
    MANUAL = "manual", _("placé à la main")  # set by a person; never a geocoder's answer


class Zone(models.TextChoices):
    METRO = "metro", _("France métropolitaine")
    DROM = "drom", _("Outre-mer (DROM)")


class Area(models.Model):
    """What régions, départements and communes share."""

    code = models.CharField(_("code INSEE"), max_length=5, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    population = models.PositiveIntegerField(_("population"), default=0)
    boundary = models.MultiPolygonField(_("contour simplifié"), srid=WGS84, null=True, blank=True)
    centre = models.PointField(_("point central"), srid=WGS84, null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Region(Area):
    zone = models.CharField(_("zone"), max_length=5, choices=Zone.choices, default=Zone.METRO)

    class Meta(Area.Meta):
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        constraints = [
            models.CheckConstraint(
                condition=Q(boundary__isnull=True) | Q(boundary__isvalid=True),
                name="region_boundary_valid",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("geodata:region", kwargs={"slug": self.slug})


class Department(Area):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departments", verbose_name=_("région")
    )

    class Meta(Area.Meta):
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        constraints = [
            models.CheckConstraint(
                condition=Q(boundary__isnull=True) | Q(boundary__isvalid=True),
                name="department_boundary_valid",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("geodata:department", kwargs={"slug": self.slug})


class Commune(Area):
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="communes", verbose_name=_("département")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="communes", verbose_name=_("région")
    )
    # Normalised name (no accents, case, hyphens or leading article) for the gazetteer.
    search_name = models.CharField(max_length=120, db_index=True, editable=False)

    class Meta(Area.Meta):
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        # A région's or département's places are listed by commune name: these let the
        # page walk its communes in that order (an incremental sort; directory/sections.py).
        indexes = [
            models.Index(fields=["region", "name", "id"], name="commune_region_name_idx"),
            models.Index(fields=["department", "name", "id"], name="commune_department_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(boundary__isnull=True) | Q(boundary__isvalid=True),
                name="commune_boundary_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.department.code})" if self.department_id else self.name

    @property
    def postal_code_list(self) -> list[str]:
        return [p.code for p in self.postal_codes.all()]


class PostalCode(models.Model):
    code = models.CharField(_("code postal"), max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="postal_codes")

    class Meta:
        verbose_name = _("code postal")
        verbose_name_plural = _("codes postaux")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "commune"], name="postalcode_unique_per_commune"
            )
        ]

    def __str__(self) -> str:
        return self.code

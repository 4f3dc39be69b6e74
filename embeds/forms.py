"""The embed's URL parameters, validated before use.

A member site writes these by hand (or through the builder), so a bad value must
say which parameter is wrong and why, in the page, with a 400, never a 500.
Several values may be repeated (`?competence=a&competence=b`) or comma-separated
(`?competence=a,b`), as `embed.js` passes `data-competence="a,b"` through as is.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.parameters import ParameterForm
from directory.models import Competence, Kind, Organisation
from directory.selectors import MAX_RADIUS_KM, MIN_RADIUS_KM
from geodata.models import Department, Region

LAYERS = ("places", "practices")
# The interface languages; a map without `lang` speaks its visitor's (views.embed_map).
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
DEFAULT_COLOUR = "#1f4b8f"  # the site's brand blue
DEFAULT_HEIGHT = 420
MIN_HEIGHT, MAX_HEIGHT = 200, 1200
MAX_QUERY_LENGTH = 200
MAX_SLUGS = 30
COLOUR_RE = re.compile(r"^#?([0-9a-fA-F]{6})$")
FRAME_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

# Parameters in the order the builder writes them; `q` and `id` are set by the
# page itself (search box) and by embed.js (frame id), never by the integrator.
PARAMETERS = (
    "region",
    "department",
    "competence",
    "kind",
    "layers",
    "search",
    "list",
    "chips",
    "view",
    "lang",
    "color",
    "centre",
    "height",
    "open",
    "radius",
    "fresh",
)
DEFAULTS = {
    "layers": "places",
    "search": "0",
    "list": "1",
    "chips": "0",
    "lang": "",
    "color": DEFAULT_COLOUR,
    "height": str(DEFAULT_HEIGHT),
    "open": "0",
    # The address search looks this far (km): the whole région around a member centre.
    "radius": f"{MAX_RADIUS_KM:g}",
    # 1: only places verified within FRESHNESS_MONTHS (directory/freshness.py).
    "fresh": "0",
}


def member_centre(slug: str) -> Organisation | None:
    """The member centre an embed names by slug (its domains may frame it), or None."""
    slug = slug.strip()
    if not slug:
        return None
    centre = Organisation.objects.filter(slug=slug, is_member_centre=True).first()
    if centre is None:
        raise forms.ValidationError(
            _("aucun centre ressources du réseau n'a l'identifiant « %(value)s »."),
            params={"value": slug[:60]},
        )
    return centre


@dataclass(frozen=True)
class EmbedConfig:
    region: Region | None
    department: Department | None
    competences: list[Competence]
    kinds: list[Kind]
    layers: tuple[str, ...]
    search: bool
    list: bool
    chips: bool
    view: tuple[float, float, int] | None
    lang: str  # the map's language: the one asked for, else the visitor's
    colour: str
    centre: Organisation | None
    height: int
    query: str
    frame_id: str
    open_now: bool = False
    radius_km: float = MAX_RADIUS_KM
    fresh: bool = False
    # `lang` as the URL gives it ("" when the map follows its visitor's language).
    lang_asked: str = ""

    @property
    def area(self) -> Region | Department | None:
        return self.department or self.region


class CommaListField(forms.Field):
    """Values given repeated or comma-separated, in order, without duplicates."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[str]:
        if value in self.empty_values:
            return []
        chunks = [value] if isinstance(value, str) else list(value)
        items = [part.strip() for chunk in chunks for part in str(chunk).split(",")]
        return list(dict.fromkeys(item for item in items if item))


class FlagField(forms.Field):
    """1 or 0 (a missing parameter takes the default)."""

    def __init__(self, *, default: bool, **kwargs):
        self.default = default
        super().__init__(required=False, **kwargs)

    def to_python(self, value) -> bool:
        value = (value or "").strip()
        if not value:
            return self.default
        if value not in ("0", "1"):
            raise forms.ValidationError(
                _("« %(value)s » : mettez 1 (oui) ou 0 (non)."), params={"value": value[:20]}
            )
        return value == "1"


def _unknown(values: list[str]) -> str:
    return ", ".join(f"« {v[:40]} »" for v in values[:5])


class EmbedForm(ParameterForm):
    region = forms.CharField(required=False, max_length=5)
    department = forms.CharField(required=False, max_length=5)
    competence = CommaListField(required=False)
    kind = CommaListField(required=False)
    layers = CommaListField(required=False)
    search = FlagField(default=False)
    list = FlagField(default=True)
    chips = FlagField(default=False)
    view = forms.CharField(required=False, max_length=60)
    lang = forms.CharField(required=False, max_length=10)
    color = forms.CharField(required=False, max_length=10)
    centre = forms.CharField(required=False, max_length=220)
    height = forms.CharField(required=False, max_length=10)
    open = FlagField(default=False)
    radius = forms.CharField(required=False, max_length=10)
    fresh = FlagField(default=False)
    q = forms.CharField(required=False, max_length=MAX_QUERY_LENGTH)
    id = forms.CharField(required=False, max_length=64)

    error_messages = {"max_length": _("Valeur trop longue.")}

    def __init__(self, *args, language: str = "fr", **kwargs):
        # The language a map without `lang` is shown in: the request's, negotiated.
        self.language = language if language in LANGUAGES else settings.LANGUAGE_CODE
        super().__init__(*args, **kwargs)

    def clean_region(self) -> Region | None:
        code = self.cleaned_data["region"].strip()
        if not code:
            return None
        region = Region.objects.defer("boundary", "centre").filter(code=code).first()
        if region is None:
            raise forms.ValidationError(
                _("aucune région n'a le code « %(code)s » (codes INSEE, ex. 84, 93)."),
                params={"code": code},
            )
        return region

    def clean_department(self) -> Department | None:
        code = self.cleaned_data["department"].strip().upper()
        if not code:
            return None
        department = (
            Department.objects.defer("boundary", "centre")
            .select_related("region")
            .defer("region__boundary", "region__centre")
            .filter(code=code)
            .first()
        )
        if department is None:
            raise forms.ValidationError(
                _("aucun département n'a le code « %(code)s » (ex. 69, 2A)."),
                params={"code": code},
            )
        return department

    def _taxonomy(self, name: str, model) -> list:
        slugs = self.cleaned_data[name]
        if len(slugs) > MAX_SLUGS:
            raise forms.ValidationError(_("trop de valeurs."))
        found = {item.slug: item for item in model.objects.filter(slug__in=slugs)}
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            raise forms.ValidationError(
                _("identifiant inconnu : %(values)s."), params={"values": _unknown(missing)}
            )
        return [found[slug] for slug in slugs]

    def clean_competence(self) -> list[Competence]:
        return self._taxonomy("competence", Competence)

    def clean_kind(self) -> list[Kind]:
        return self._taxonomy("kind", Kind)

    def clean_layers(self) -> tuple[str, ...]:
        layers = self.cleaned_data["layers"] or [DEFAULTS["layers"]]
        wrong = [layer for layer in layers if layer not in LAYERS]
        if wrong:
            raise forms.ValidationError(
                _("%(values)s inconnu : mettez places, practices ou places,practices."),
                params={"values": _unknown(wrong)},
            )
        return tuple(layer for layer in LAYERS if layer in layers)

    def clean_view(self) -> tuple[float, float, int] | None:
        text = self.cleaned_data["view"].strip()
        if not text:
            return None
        message = _(
            "« %(value)s » : attendu latitude,longitude,zoom (ex. 45.76,4.85,12), "
            "zoom entre %(min)s et %(max)s."
        )
        params = {
            "value": text,
            "min": settings.LEAFLET_CONFIG["MIN_ZOOM"],
            "max": settings.LEAFLET_CONFIG["MAX_ZOOM"],
        }
        parts = text.split(",")
        try:
            lat, lon, zoom = float(parts[0]), float(parts[1]), int(parts[2])
        except (ValueError, IndexError):
            raise forms.ValidationError(message, params=params) from None
        if (
            len(parts) != 3
            or not (math.isfinite(lat) and math.isfinite(lon))
            or not (-90 <= lat <= 90 and -180 <= lon <= 180)
            or not (params["min"] <= zoom <= params["max"])
        ):
            raise forms.ValidationError(message, params=params)
        return (lat, lon, zoom)

    def clean_lang(self) -> str:
        lang = self.cleaned_data["lang"].strip().lower()
        if lang and lang not in LANGUAGES:
            raise forms.ValidationError(
                _("« %(value)s » : langues possibles %(languages)s."),
                params={"value": lang, "languages": ", ".join(LANGUAGES)},
            )
        return lang

    def clean_color(self) -> str:
        text = self.cleaned_data["color"].strip()
        if not text:
            return DEFAULT_COLOUR
        match = COLOUR_RE.match(text)
        if not match:
            raise forms.ValidationError(
                _("« %(value)s » : attendu une couleur #RRGGBB (ex. #c0392b)."),
                params={"value": text},
            )
        return "#" + match.group(1).lower()

    def clean_centre(self) -> Organisation | None:
        return member_centre(self.cleaned_data["centre"])

    def clean_height(self) -> int:
        text = self.cleaned_data["height"].strip()
        if not text:
            return DEFAULT_HEIGHT
        try:
            height = int(text)
        except ValueError:
            height = 0
        if not MIN_HEIGHT <= height <= MAX_HEIGHT:
            raise forms.ValidationError(
                _("« %(value)s » : hauteur en pixels, entre %(min)s et %(max)s."),
                params={"value": text, "min": MIN_HEIGHT, "max": MAX_HEIGHT},
            )
        return height

    def clean_radius(self) -> float:
        text = self.cleaned_data["radius"].strip()
        if not text:
            return MAX_RADIUS_KM
        try:
            radius = float(text.replace(",", "."))
        except ValueError:
            radius = math.nan
        if not MIN_RADIUS_KM <= radius <= MAX_RADIUS_KM:  # NaN fails both comparisons
            raise forms.ValidationError(
                _("« %(value)s » : rayon en km, entre %(min)s et %(max)s."),
                params={"value": text, "min": f"{MIN_RADIUS_KM:g}", "max": f"{MAX_RADIUS_KM:g}"},
            )
        return radius

    def clean_id(self) -> str:
        frame_id = self.cleaned_data["id"].strip()
        if frame_id and not FRAME_ID_RE.match(frame_id):
            raise forms.ValidationError(_("lettres, chiffres, - et _ seulement."))
        return frame_id

    def clean(self):
        data = super().clean()
        region, department = data.get("region"), data.get("department")
        if region and department and department.region_id != region.pk:
            self.add_error(
                "department",
                forms.ValidationError(
                    _("le département %(department)s n'est pas dans la région %(region)s."),
                    params={"department": department.code, "region": region.code},
                ),
            )
        return data

    @property
    def config(self) -> EmbedConfig:
        data = self.cleaned_data
        department = data["department"]
        return EmbedConfig(
            region=department.region if department else data["region"],
            department=department,
            competences=data["competence"],
            kinds=data["kind"],
            layers=data["layers"],
            search=data["search"],
            list=data["list"],
            chips=data["chips"],
            view=data["view"],
            lang=data["lang"] or self.language,
            lang_asked=data["lang"],
            colour=data["color"],
            centre=data["centre"],
            height=data["height"],
            query=data["q"].strip() if data["search"] else "",
            frame_id=data["id"],
            open_now=data["open"],
            radius_km=data["radius"],
            fresh=data["fresh"],
        )

    def error_lines(self) -> list[tuple[str, str]]:
        """(parameter as written in the URL, what is wrong with it), one per wrong parameter."""
        return [
            (name, " ".join(str(m) for m in messages)) for name, messages in self.errors.items()
        ]


def safe_language(value: str | None, negotiated: str | None = None) -> str:
    """The page language even when the rest of the parameters are wrong: the one asked for,
    else the request's (negotiated from its cookie or Accept-Language), else French."""
    value = (value or "").strip().lower()
    if value in LANGUAGES:
        return value
    return negotiated if negotiated in LANGUAGES else settings.LANGUAGE_CODE


def safe_frame_id(value: str | None) -> str:
    value = (value or "").strip()
    return value if FRAME_ID_RE.match(value) else ""


def snippet_attributes(config: EmbedConfig) -> list[tuple[str, str]]:
    """The data- attributes (without the prefix) that reproduce `config`, defaults left out."""
    values = {
        "region": config.region.code if config.region and not config.department else "",
        "department": config.department.code if config.department else "",
        "competence": ",".join(c.slug for c in config.competences),
        "kind": ",".join(k.slug for k in config.kinds),
        "layers": ",".join(config.layers),
        "search": "1" if config.search else "0",
        "list": "1" if config.list else "0",
        "chips": "1" if config.chips else "0",
        "view": ",".join(str(v) for v in config.view) if config.view else "",
        "lang": config.lang_asked,
        "color": config.colour,
        "centre": config.centre.slug if config.centre else "",
        "height": str(config.height),
        "open": "1" if config.open_now else "0",
        "radius": f"{config.radius_km:g}",
        "fresh": "1" if config.fresh else "0",
    }
    return [
        (name, values[name])
        for name in PARAMETERS
        if values[name] and (values[name] != DEFAULTS.get(name) or name == "height")
    ]

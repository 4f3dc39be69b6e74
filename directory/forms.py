from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.parameters import ParameterForm
from geodata.models import Department
from geodata.selectors import region_choices

from .languages import language_choices
from .models import Competence, Kind
from .selectors import DEFAULT_RADIUS_KM, MAX_RADIUS_KM, MIN_RADIUS_KM, PlaceFilters

RADIUS_CHOICES_KM = [1, 2, 5, 10, 20, 50, 100, 200]


def _km(value: float) -> str:
    """0,1 or 200 in French, 0.1 or 200 in English."""
    return number_format(int(value) if float(value).is_integer() else value)


def _language_choices() -> list[tuple[str, str]]:
    # Called each time the choices are read: names in the request's language (babel).
    return [("", gettext("Toutes")), *language_choices()]


class SearchForm(ParameterForm):
    """The directory search, read from the query string (so a search is a shareable URL)."""

    q = forms.CharField(
        label=_("Adresse, commune ou code postal"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("ex. 10 place Lazare Goujon, Villeurbanne"),
                "autocomplete": "street-address",
            }
        ),
    )
    # The INSEE code of the commune chosen among homonyms ("Saint-Denis": 93 or 974).
    commune = forms.CharField(max_length=5, required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(min_value=-90, max_value=90, required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(min_value=-180, max_value=180, required=False, widget=forms.HiddenInput)
    radius = forms.FloatField(
        label=_("Rayon (km)"),
        min_value=MIN_RADIUS_KM,
        max_value=MAX_RADIUS_KM,
        initial=DEFAULT_RADIUS_KM,
        required=False,
        # error messages: set in __init__, with the bounds written in the active language
        widget=forms.NumberInput(attrs={"step": "0.1", "list": "radius-presets"}),
    )
    competence = forms.MultipleChoiceField(
        label=_("Compétences"), required=False, widget=forms.CheckboxSelectMultiple
    )
    match = forms.ChoiceField(
        label=_("Les lieux doivent offrir"),
        choices=[
            ("any", _("au moins une des compétences cochées")),
            ("all", _("toutes les compétences cochées")),
        ],
        required=False,
        initial="any",
        widget=forms.RadioSelect,
    )
    kind = forms.ChoiceField(label=_("Type de lieu"), required=False)
    region = forms.ChoiceField(label=_("Région"), required=False)
    department = forms.ChoiceField(label=_("Département"), required=False)
    language = forms.ChoiceField(
        label=_("Langue parlée"), required=False, choices=_language_choices
    )
    open_now = forms.BooleanField(label=_("Ouvert maintenant"), required=False)
    fresh = forms.BooleanField(
        label=_("Seulement les informations vérifiées récemment"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bounds = {"min": _km(MIN_RADIUS_KM), "max": _km(MAX_RADIUS_KM)}
        self.fields["radius"].error_messages.update(
            {
                "min_value": gettext("Le rayon doit être d'au moins %(min)s km.") % bounds,
                "max_value": gettext("Le rayon ne peut dépasser %(max)s km.") % bounds,
                "invalid": gettext(
                    "Le rayon doit être un nombre de kilomètres, entre %(min)s et %(max)s."
                )
                % bounds,
            }
        )
        self.fields["competence"].choices = [(c.slug, c.label) for c in Competence.objects.all()]
        self.fields["kind"].choices = [("", _("Tous"))] + [
            (k.slug, k.label) for k in Kind.objects.all()
        ]
        self.fields["region"].choices = [("", _("Toutes")), *region_choices()]
        self.fields["department"].choices = [("", _("Tous"))] + [
            (code, f"{code} — {name}")
            for code, name in Department.objects.order_by("code").values_list("code", "name")
        ]

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise forms.ValidationError(
                _("Position incomplète : latitude et longitude vont ensemble.")
            )
        data["radius"] = data.get("radius") or DEFAULT_RADIUS_KM
        data["match"] = data.get("match") or "any"
        return data

    def place_filters(self) -> PlaceFilters:
        """The selector's filters from the cleaned form (call after `is_valid()`)."""
        data = self.cleaned_data
        return PlaceFilters(
            competences=data["competence"],
            competences_all=data["match"] == "all",
            kinds=[data["kind"]] if data["kind"] else [],
            region=data["region"],
            department=data["department"],
            language=data["language"],
            fresh=data["fresh"],
        )

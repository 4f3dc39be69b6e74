from django import forms
from django.utils.translation import gettext_lazy as _

from geodata.models import Department, Region

from .languages import LANGUAGE_CHOICES
from .models import Competence, Kind

RADIUS_CHOICES_KM = [1, 2, 5, 10, 20, 50, 100, 200]


class SearchForm(forms.Form):
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
    lat = forms.FloatField(min_value=-90, max_value=90, required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(min_value=-180, max_value=180, required=False, widget=forms.HiddenInput)
    radius = forms.FloatField(
        label=_("Rayon (km)"),
        min_value=0.1,
        max_value=200,
        initial=10,
        required=False,
        error_messages={
            "min_value": _("Le rayon doit être d'au moins 0,1 km."),
            "max_value": _("Le rayon ne peut dépasser 200 km."),
            "invalid": _("Le rayon doit être un nombre de kilomètres, entre 0,1 et 200."),
        },
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
        label=_("Langue parlée"), required=False, choices=[("", _("Toutes"))] + LANGUAGE_CHOICES
    )
    open_now = forms.BooleanField(label=_("Ouvert maintenant"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competence"].choices = [(c.slug, c.label) for c in Competence.objects.all()]
        self.fields["kind"].choices = [("", _("Tous"))] + [
            (k.slug, k.label) for k in Kind.objects.all()
        ]
        self.fields["region"].choices = [("", _("Toutes"))] + list(
            Region.objects.order_by("name").values_list("code", "name")
        )
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
        data["radius"] = data.get("radius") or 10.0
        data["match"] = data.get("match") or "any"
        return data

"""Forms of the practice sheets: the public filters (query string) and the admin form.

The filters come from shareable URLs, so they must survive anything a person or
an old link puts there: an unknown theme or région is dropped with a message
saying so (the rest of the search still runs); a malformed year or period is a
field error; the text is cut to the search's own limit, whatever its alphabet.
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.parameters import ParameterForm
from geodata.selectors import region_choices

from .models import MAX_YEAR, MIN_YEAR, TEXT_FIELDS, PracticeSheet, Scope, Theme
from .search import MAX_QUERY_LENGTH
from .selectors import SheetFilters

WORD = re.compile(r"\w", re.UNICODE)


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Keeps every submitted value: the form sorts known from unknown and says so."""

    def validate(self, value):
        pass


class LenientChoiceField(forms.ChoiceField):
    def validate(self, value):
        pass


class SheetFilterForm(ParameterForm):
    q = forms.CharField(
        label=_("Mots-clés"),
        required=False,
        strip=True,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("ex. logement, laïcité, Villeurbanne")}
        ),
    )
    theme = LenientMultipleChoiceField(
        label=_("Thèmes"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Les fiches qui traitent d'au moins un des thèmes cochés."),
    )
    region = LenientChoiceField(label=_("Région"), required=False)
    year_from = forms.IntegerField(
        label=_("de l'année"),
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        widget=forms.NumberInput(attrs={"placeholder": _("ex. 2010"), "inputmode": "numeric"}),
    )
    year_to = forms.IntegerField(
        label=_("à l'année"),
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        widget=forms.NumberInput(attrs={"placeholder": _("ex. 2016"), "inputmode": "numeric"}),
    )
    running = forms.ChoiceField(
        label=_("Toujours en cours ?"),
        required=False,
        choices=[
            ("", _("peu importe")),
            ("yes", _("oui")),
            ("no", _("non, terminées")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.themes = {t.slug: t for t in Theme.objects.all()}
        self.fields["theme"].choices = [(slug, t.label) for slug, t in self.themes.items()]
        regions = region_choices()
        self.region_names = dict(regions)
        self.fields["region"].choices = [("", _("Toutes"))] + regions
        # Filters that could not be applied, told to the person rather than failing.
        self.notices: list[str] = []

    def clean_q(self) -> str:
        text = (self.cleaned_data.get("q") or "")[:MAX_QUERY_LENGTH]
        if text and not WORD.search(text):
            self.notices.append(
                _("« %(text)s » ne contient aucun mot à chercher : essayez avec des mots.")
                % {"text": text[:60]}
            )
        return text

    def clean_theme(self) -> list[str]:
        wanted = self.cleaned_data.get("theme") or []
        unknown = [slug for slug in wanted if slug not in self.themes]
        if unknown:
            self.notices.append(
                _("Thème inconnu, filtre ignoré : %(themes)s.")
                % {"themes": ", ".join(f"« {slug[:60]} »" for slug in unknown)}
            )
        return [slug for slug in wanted if slug in self.themes]

    def clean_region(self) -> str:
        code = self.cleaned_data.get("region") or ""
        if code and code not in self.region_names:
            self.notices.append(
                _("Région inconnue, filtre ignoré : « %(code)s ».") % {"code": code[:60]}
            )
            return ""
        return code

    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start is not None and end is not None and start > end:
            self.add_error(
                "year_to",
                _("L'année de fin doit suivre l'année de début (%(year)s).") % {"year": start},
            )
        return data

    def filters(self) -> SheetFilters:
        """The validated filters (call after is_valid())."""
        data = self.cleaned_data
        running = {"yes": True, "no": False}.get(data.get("running") or "")
        return SheetFilters(
            themes=data.get("theme") or [],
            region=data.get("region") or "",
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            running=running,
            text=data.get("q") or "",
        )

    def is_filtered(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) not in (None, "", []) for name in self.fields)


class PracticeSheetAdminForm(forms.ModelForm):
    """The admin's form: the area fields must agree with the scope chosen."""

    class Meta:
        model = PracticeSheet
        # The admin narrows this to its fieldsets (status is limited for editors).
        fields = [
            "title",
            "slug",
            "author_centre",
            "themes",
            *TEXT_FIELDS,
            "start_date",
            "end_date",
            "became_regular_service",
            "review_date",
            "scope",
            "communes",
            "department",
            "region",
            "points",
            "places",
            "status",
        ]

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        if scope == Scope.COMMUNES and not data.get("communes") and "communes" in self.fields:
            self.add_error("communes", _("Choisissez au moins une commune."))
        elif scope == Scope.DEPARTMENT and not data.get("department"):
            self.add_error("department", _("Choisissez le département couvert."))
        elif scope == Scope.REGION and not data.get("region"):
            self.add_error("region", _("Choisissez la région couverte."))
        elif scope == Scope.NATIONAL:
            # A national practice sits in no région, whatever was filled in before.
            data["region"] = None
            data["department"] = None
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La fin ne peut précéder le début."))
        return data

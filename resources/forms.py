"""The notice list's filters, read from shareable URLs: values the facets do not know are
simply dropped (a facet link always gives known ones); the text is cut to the search's limit.

The press watch's filters (a theme, a région) are chosen in a form: an unknown value is an
error the page shows, named by its parameter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.parameters import ParameterForm
from geodata.models import Region
from practices.models import Theme

from .models import MAX_YEAR, MIN_YEAR, NoticeType
from .search import MAX_QUERY_LENGTH
from .selectors import NoticeFilters, WatchFilters


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    def validate(self, value):
        pass


class NoticeFilterForm(ParameterForm):
    q = forms.CharField(
        label=_("Rechercher dans la documentation"),
        required=False,
        strip=True,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("ex. apprentissage du français, logement")}
        ),
    )
    type = LenientMultipleChoiceField(label=_("Type de document"), required=False)
    year = LenientMultipleChoiceField(label=_("Année"), required=False)
    theme = LenientMultipleChoiceField(label=_("Thème"), required=False)
    region = LenientMultipleChoiceField(label=_("Région"), required=False)
    centre = LenientMultipleChoiceField(label=_("Centre ressources"), required=False)

    def filters(self) -> NoticeFilters:
        data = self.cleaned_data
        years = []
        for value in data.get("year") or []:
            if value.isascii() and value.isdigit() and MIN_YEAR <= int(value) <= MAX_YEAR:
                years.append(int(value))
        types = set(NoticeType.values)
        return NoticeFilters(
            text=(data.get("q") or "")[:MAX_QUERY_LENGTH],
            types=[t for t in data.get("type") or [] if t in types],
            years=years,
            themes=[v[:60] for v in data.get("theme") or []][:20],
            regions=[v[:3] for v in data.get("region") or []][:20],
            centres=[v[:220] for v in data.get("centre") or []][:20],
        )


class ThemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Theme) -> str:
        return obj.label


class WatchFilterForm(ParameterForm):
    theme = ThemeChoiceField(
        label=_("Thème"),
        queryset=Theme.objects.order_by("position", "name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les thèmes"),
        error_messages={
            "invalid_choice": _("Thème inconnu : « %(value)s ». Choisissez-en un dans la liste.")
        },
    )
    region = forms.ModelChoiceField(
        label=_("Région"),
        queryset=Region.objects.defer("boundary", "centre").order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("Toutes les régions"),
        error_messages={
            "invalid_choice": _(
                "Région inconnue : « %(value)s ». Choisissez-en une dans la liste "
                "(codes INSEE, ex. 84, 93)."
            )
        },
    )

    def filters(self) -> WatchFilters:
        return WatchFilters(
            theme=self.cleaned_data.get("theme"), region=self.cleaned_data.get("region")
        )

    def error_lines(self) -> list[tuple[str, str]]:
        """(parameter, what is wrong with it), one per wrong parameter."""
        return [(name, " ".join(str(m) for m in errors)) for name, errors in self.errors.items()]

"""The public form that reports an error, and the admin's forms that handle a report."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import HoneypotMixin
from geodata.geocoding import GeocodeResult, GeocodingInputError

from ..admin_forms import ADDRESS_FIELDS, https_urls
from ..models import Place, SuggestionKind
from ..services import geocode_place

MESSAGE_MAX_LENGTH = 2000


class SuggestionForm(HoneypotMixin, forms.Form):
    """« Signaler une erreur »: what is wrong, the right information, an e-mail for the answer."""

    kind = forms.ChoiceField(
        label=_("Qu'est-ce qui est inexact ?"),
        choices=SuggestionKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez ce qui est inexact."),
            "invalid_choice": _("Choisissez ce qui est inexact parmi les propositions."),
        },
    )
    message = forms.CharField(
        label=_("La bonne information"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Écrivez ce qui est juste — par exemple les nouveaux horaires ou la nouvelle "
            "adresse — et, si vous le savez, d'où vous le tenez."
        ),
        error_messages={
            "required": _("Écrivez la bonne information."),
            "max_length": _(
                "Ce texte est trop long : %(limit_value)d caractères au plus "
                "(il en compte %(show_value)d)."
            ),
        },
    )
    email = forms.EmailField(
        label=_("Votre courriel (facultatif)"),
        required=False,
        help_text=_(
            "Seulement pour vous dire si la fiche a été corrigée. Il n'est ni publié, "
            "ni transmis, ni utilisé à autre chose."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _(
                "Cette adresse électronique n'est pas valide : écrivez-la sous la forme "
                "nom@exemple.fr, ou laissez le champ vide."
            )
        },
    )


# -- handling a report in the admin -------------------------------------------------------

# The place's fields an editor corrects when she accepts each kind of report.
CORRECTED_FIELDS: dict[str, tuple[str, ...]] = {
    SuggestionKind.ADDRESS: ADDRESS_FIELDS,
    SuggestionKind.HOURS: ("opening_hours", "appointment_only"),
    SuggestionKind.CONTACT: ("phone", "email", "website"),
    SuggestionKind.SERVICES: ("competences", "description"),
    SuggestionKind.CLOSED: (),
    SuggestionKind.OTHER: (
        "name",
        "description",
        "public",
        "languages",
        "interpreting",
        "wheelchair",
        "phone",
        "email",
        "website",
    ),
}


class CorrectionForm(forms.ModelForm):
    """The place's fields concerned by a report, as they are now, for the editor to correct.

    A changed address is looked up here, as the place's admin form does, so that an address
    the geocoders refuse is a form error rather than a failure at save time.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "competences" in self.fields:
            self.fields["competences"].widget = forms.CheckboxSelectMultiple(
                choices=self.fields["competences"].choices
            )
        self.geocode_result: GeocodeResult | None = None
        self._geocoded: Place | None = None

    def address_changed(self) -> bool:
        return any(name in self.changed_data for name in ADDRESS_FIELDS)

    def clean(self):
        cleaned = super().clean()
        if not self.address_changed():
            return cleaned
        probe = Place(**{name: cleaned.get(name, "") for name in ADDRESS_FIELDS})
        try:
            self.geocode_result = geocode_place(probe)
        except GeocodingInputError as error:
            self.add_error("street", str(error))
            return cleaned
        if self.geocode_result is not None:
            self._geocoded = probe
        return cleaned

    def apply_position(self, place: Place) -> None:
        """The point found for the corrected address; an address not found keeps the point."""
        if self._geocoded is not None:
            place.location = self._geocoded.location
            place.geocode_precision = self._geocoded.geocode_precision
            place.geocode_label = self._geocoded.geocode_label


class ClosureForm(CorrectionForm):
    archive = forms.BooleanField(
        label=_("Archiver ce lieu"),
        help_text=_("Il n'apparaîtra plus dans l'annuaire public ; son historique est gardé."),
        error_messages={"required": _("Cochez la case pour confirmer l'archivage.")},
    )


def correction_form_class(kind: str) -> type[CorrectionForm]:
    return forms.modelform_factory(
        Place,
        form=ClosureForm if kind == SuggestionKind.CLOSED else CorrectionForm,
        fields=CORRECTED_FIELDS[kind],
        formfield_callback=https_urls,
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Réponse à la personne (facultatif)"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Ajoutée au courriel qui lui annonce la décision, si elle a laissé le sien."),
    )

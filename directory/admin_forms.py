"""Forms of the directory admin.

The place form decides whether the point comes from the address (geocoder chain)
or from the marker, and asks the geocoder while validating: a new place whose
address cannot be found and which has no marker must be refused with a form
error, which `save_model` is too late to give.
"""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from geodata.geocoding import GeocodeResult, GeocodingInputError
from geodata.models import Precision

from .models import Place
from .services import address_text, geocode_place

ADDRESS_FIELDS = ("street", "postal_code", "city")


def https_urls(db_field: models.Field, **kwargs) -> forms.Field | None:
    """Model form fields as Django 6 will build them: a bare domain becomes https://."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class PlaceAdminForm(forms.ModelForm):
    relocate = forms.BooleanField(
        label=_("Relocaliser depuis l'adresse"),
        required=False,
        help_text=_(
            "Cochez pour replacer le marqueur à partir de l'adresse saisie "
            "(le point déplacé à la main est alors remplacé)."
        ),
    )

    class Meta:
        model = Place
        formfield_callback = https_urls
        # The admin narrows this to its fieldsets (status is read-only for editors).
        fields = [
            "name",
            "organisation",
            "description",
            "kinds",
            "competences",
            *ADDRESS_FIELDS,
            "location",
            "opening_hours",
            "appointment_only",
            "languages",
            "interpreting",
            "wheelchair",
            "public",
            "phone",
            "email",
            "website",
            "status",
            "last_verified",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "location" in self.fields:
            # Either the marker or an address that the geocoders find: checked in clean().
            self.fields["location"].required = False
            self.fields["location"].help_text = _(
                "Déplacez le marqueur pour corriger la position trouvée depuis l'adresse."
            )
        # Filled in clean(), read by the admin's save_model().
        self.geocode_wanted = False
        self.geocode_result: GeocodeResult | None = None
        self.geocoded: Place | None = None

    def address_changed(self) -> bool:
        return any(name in self.changed_data for name in ADDRESS_FIELDS)

    def marker_moved(self) -> bool:
        return "location" in self.changed_data

    def clean(self):
        cleaned = super().clean()
        if "location" not in self.fields or self.has_error("location"):
            return cleaned
        probe = Place(
            street=cleaned.get("street", ""),
            postal_code=cleaned.get("postal_code", ""),
            city=cleaned.get("city", ""),
            location=cleaned.get("location"),
        )
        address = address_text(probe)
        self.geocode_wanted = bool(address) and (
            cleaned.get("relocate") or self.address_changed() or probe.location is None
        )
        if self.geocode_wanted:
            try:
                self.geocode_result = geocode_place(probe)
            except GeocodingInputError as error:
                self.add_error("street", str(error))
                return cleaned
            if self.geocode_result is not None:
                self.geocoded = probe
                cleaned["location"] = probe.location
        if cleaned.get("location") is None:
            if address:
                message = _(
                    "Adresse introuvable : placez le marqueur sur la carte ou corrigez l'adresse."
                )
            else:
                message = _("Saisissez l'adresse du lieu ou placez le marqueur sur la carte.")
            self.add_error("location", message)
        return cleaned

    def apply_position(self, place: Place) -> None:
        """Precision and label of the point the form settled on (the point itself is a field)."""
        if self.geocoded is not None:
            place.location = self.geocoded.location
            place.geocode_precision = self.geocoded.geocode_precision
            place.geocode_label = self.geocoded.geocode_label
        elif self.marker_moved():
            place.geocode_precision = Precision.MANUAL
            place.geocode_label = ""

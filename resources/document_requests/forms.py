"""The public request forms: a lendable document, or a resource organisation."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import HONEYPOT, HoneypotMixin
from geodata.models import Region
from practices.models import Theme

MESSAGE_MAX_LENGTH = 2000
PHONE = re.compile(r"[0-9 +().-]{6,30}")


def _required(message):
    return {"required": message}


class RequestForm(HoneypotMixin, forms.Form):
    """Who is asking and how to answer her: what both forms share."""

    name = forms.CharField(
        label=_("Votre nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages=_required(_("Indiquez votre nom.")),
    )
    email = forms.EmailField(
        label=_("Votre courriel"),
        max_length=254,
        help_text=_("Pour vous répondre."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _(
                "Indiquez votre courriel : la réponse vous sera envoyée à cette adresse."
            ),
            "invalid": _(
                "Cette adresse électronique n'est pas valide : écrivez-la sous la forme "
                "nom@exemple.fr."
            ),
        },
    )
    phone = forms.CharField(
        label=_("Votre téléphone (facultatif)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    organisation = forms.CharField(
        label=_("Votre structure (facultatif)"),
        required=False,
        max_length=200,
        help_text=_("L'association, le service ou l'établissement où vous travaillez."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )

    @property
    def visible_fields_in_order(self):
        return [self[name] for name in self.fields if name != HONEYPOT]

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        if phone and not PHONE.fullmatch(phone):
            raise ValidationError(
                _("Ce numéro n'est pas valide : des chiffres, par exemple 06 12 34 56 78.")
            )
        return phone


def _message_field(label, help_text, required_message) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MESSAGE_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": required_message,
            "max_length": _(
                "Ce texte est trop long : %(limit_value)d caractères au plus "
                "(il en compte %(show_value)d)."
            ),
        },
    )


class DocumentRequestForm(RequestForm):
    message = _message_field(
        _("Votre demande"),
        _(
            "Par exemple : un prêt, une consultation sur place, une copie d'un chapitre ; à partir de quand."
        ),
        _("Écrivez votre demande."),
    )


class OrganisationRequestForm(RequestForm):
    region = forms.ModelChoiceField(
        label=_("Région"),
        queryset=Region.objects.order_by("name"),
        to_field_name="code",
        empty_label=_("Choisissez une région"),
        help_text=_("Où vous cherchez une structure ressource."),
        error_messages={
            "required": _("Choisissez une région."),
            "invalid_choice": _("Choisissez une région de la liste."),
        },
    )
    theme = forms.ModelChoiceField(
        label=_("Thème (facultatif)"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les thèmes"),
        error_messages={"invalid_choice": _("Choisissez un thème de la liste.")},
    )
    message = _message_field(
        _("Ce que vous cherchez"),
        _("Par exemple : un centre de documentation sur l'apprentissage du français près de Lyon."),
        _("Écrivez ce que vous cherchez."),
    )

    field_order = ["name", "email", "phone", "organisation", "region", "theme", "message"]

"""Form pieces the public forms share."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# Named as robots like it; people never see it (hidden by CSS, aria-hidden, no tab stop).
HONEYPOT = "website"


class HoneypotMixin:
    """A field people never see, added last: a robot that fills it is answered as if its
    message had been sent, and nothing is sent (`is_spam`)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT] = forms.CharField(
            label=_("Ne remplissez pas ce champ"),
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )

    @property
    def honeypot(self):
        return self[HONEYPOT]

    def is_spam(self) -> bool:
        """A robot filled the field that people never see."""
        return bool(self.data.get(HONEYPOT, "").strip()) if self.is_bound else False

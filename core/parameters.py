"""The one rule for text received in a request parameter: no control characters.

A NUL byte cannot be stored or compared by PostgreSQL (it answers a `DataError`, a 500),
and no other control character (C0, DEL, C1) nor a lone surrogate has a meaning in a
search, a code or a slug. Every parameter is checked against this rule before its
value reaches anything else: the API's query serializers (core/api/params.py,
`QueryParameters`) and the pages' forms (`ParameterForm` below), so a hostile value
is a 400 whose message names the parameter, on both databases alike.
"""

from __future__ import annotations

import re

from django import forms
from django.forms.utils import ErrorDict
from django.http import JsonResponse
from django.utils.translation import gettext as _

# C0 controls (tab, line feed and carriage return included: every parameter is one line),
# DEL, C1 controls, and the surrogate halves a broken UTF-16 → UTF-8 conversion leaves.
FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def control_character_error(name: str, value: object) -> str | None:
    """The French message refusing `value` for parameter `name`, or None if it is clean."""
    if not isinstance(value, str):
        return None
    found = FORBIDDEN.search(value)
    if found is None:
        return None
    return _(
        "Le paramètre « %(name)s » contient un caractère de contrôle interdit (U+%(code)04X)."
    ) % {"name": name, "code": ord(found.group())}


def parameter_errors(data, names) -> dict[str, str]:
    """{name: message} for the parameters among `names` whose value breaks the rule.

    `data`: a QueryDict (every repeated value is checked) or a plain mapping.
    """
    errors: dict[str, str] = {}
    for name in names:
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        for value in values:
            message = control_character_error(name, value)
            if message is not None:
                errors[name] = message
                break
    return errors


class ParameterForm(forms.Form):
    """A form read from a query string: control characters refused before any field cleans.

    A refused value never reaches a field (a ModelChoiceField would look it up in the
    database): the form is invalid with one error per refused parameter, and nothing else
    is cleaned.
    """

    def full_clean(self) -> None:
        if not self.is_bound:
            return super().full_clean()
        refused = parameter_errors(self.data, [self.add_prefix(name) for name in self.fields])
        if not refused:
            return super().full_clean()
        self._errors = ErrorDict()
        self.cleaned_data = {}
        for name in self.fields:
            message = refused.get(self.add_prefix(name))
            if message is not None:
                self.add_error(name, message)
        return None


class AdminParametersMiddleware:
    """The same rule for the admin's query strings (list filters, search, lookups), which
    no form of ours reads: a refused value is a 400 naming its parameter (JSON, as the admin's
    lookups answer), never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/"):
            refused = parameter_errors(request.GET, list(request.GET))
            if refused:
                return JsonResponse({"errors": refused}, status=400)
        return self.get_response(request)


def page_number(request, *, maximum: int | None = None) -> int:
    """The `page` parameter of a paginated page: 1 when absent or not a whole number, at
    least 1, at most `maximum` if given."""
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1
    return min(number, maximum) if maximum is not None else number

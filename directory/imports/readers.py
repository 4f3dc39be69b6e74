"""Import files read as rows: the project's CSV and GeoJSON exports, and spreadsheets.

A reader yields `SourceRow`s: where the row is in the file (a line of the CSV, a feature of
the GeoJSON) and its values by column, as the exports name them. What a file cannot be read
as (wrong encoding, missing columns, truncated JSON…) raises `ImportFileError` with a message
a person can act on, before anything is written.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO

import tablib

from core.spreadsheets import unneutralise
from directory.exports.csv_geojson import CSV_LIST_SEPARATOR

# What a place cannot be imported without (the other columns of the export are optional),
# and where it is: lon and lat, or an address geocoded with its batch.
REQUIRED_COLUMNS = ("id", "name")
ADDRESS_COLUMNS = ("address", "postal_code", "commune", "city")
LIST_COLUMNS = ("kinds", "competences", "languages")
SPREADSHEETS = ("xlsx", "ods")
STANDARDS = ("data-inclusion", "hsds")
FORMATS = ("csv", "geojson", *SPREADSHEETS, *STANDARDS)


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, in French."""


@dataclass
class SourceRow:
    line: int  # CSV: the line where the row starts (the header is line 1); GeoJSON: feature n°
    values: dict[str, object]


def format_of(name: str) -> str:
    lowered = name.lower()
    if lowered.endswith((".geojson", ".json")):
        return "geojson"
    if lowered.endswith(".csv"):
        return "csv"
    for extension in SPREADSHEETS:
        if lowered.endswith(f".{extension}"):
            return extension
    raise ImportFileError(
        f"Format inconnu pour « {name} » : indiquez --format ({', '.join(FORMATS)})."
    )


def read(
    file: BinaryIO, file_format: str, *, services: BinaryIO | None = None
) -> Iterator[SourceRow]:
    """The rows of `file`; `services`: the data·inclusion services file, if any."""
    if file_format in STANDARDS:
        from .standards import read_data_inclusion, read_hsds

        if file_format == "hsds":
            return read_hsds(file)
        return read_data_inclusion(file, services)
    if file_format == "csv":
        return read_csv(file)
    if file_format == "geojson":
        return read_geojson(file)
    if file_format in SPREADSHEETS:
        return read_spreadsheet(file, file_format)
    raise ImportFileError(f"Format inconnu « {file_format} » : {', '.join(FORMATS)}.")


def _check_header(header: list[str]) -> None:
    read = ", ".join(c for c in header if c) or "aucune"
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportFileError(
            f"Colonnes obligatoires absentes : {', '.join(missing)} (colonnes lues : {read})."
        )
    if not {"lon", "lat"} <= set(header) and not set(ADDRESS_COLUMNS) & set(header):
        raise ImportFileError(
            "Colonnes de position absentes : lon et lat, ou une adresse "
            f"({', '.join(ADDRESS_COLUMNS)}) à géocoder (colonnes lues : {read})."
        )
    duplicated = sorted({c for c in header if c and header.count(c) > 1})
    if duplicated:
        raise ImportFileError(f"Colonnes en double : {', '.join(duplicated)}.")


def _values(header: list[str], cells: list[str]) -> dict[str, object]:
    """A row's values by column; the lists ("a|b") split, the export's formula guard undone."""
    values: dict[str, object] = {}
    for column, cell in zip(header, cells, strict=False):
        if not column:
            continue
        cell = unneutralise(cell.strip())
        if column in LIST_COLUMNS:
            values[column] = [v.strip() for v in cell.split(CSV_LIST_SEPARATOR) if v.strip()]
        else:
            values[column] = cell
    return values


def read_csv(file: BinaryIO) -> Iterator[SourceRow]:
    """Rows of a UTF-8 CSV (BOM or not), comma- or semicolon-separated, header first."""
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    try:
        head = text.read(64 * 1024)
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"Le fichier n'est pas en UTF-8 (octet {error.start + 1} illisible) : "
            "enregistrez-le en « CSV UTF-8 » depuis votre tableur."
        ) from error
    if not head.strip():
        raise ImportFileError("Le fichier est vide.")
    first_line = head.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(_chain(head, text), delimiter=delimiter, strict=True)
    line = 1
    try:
        header = [column.strip() for column in next(reader)]
        _check_header(header)
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if len(cells) > len(header):
                    raise ImportFileError(
                        f"Ligne {line} : {len(cells)} valeurs pour {len(header)} colonnes "
                        "(un séparateur ou un guillemet en trop ?)."
                    )
                yield SourceRow(line, _values(header, cells))
            line = reader.line_num + 1
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"Le fichier n'est pas en UTF-8 (après la ligne {reader.line_num}) : "
            "enregistrez-le en « CSV UTF-8 » depuis votre tableur."
        ) from error
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise ImportFileError(
                f"Ligne {line} : un guillemet ouvert n'est jamais fermé (fichier tronqué ?)."
            ) from error
        raise ImportFileError(
            f"CSV illisible ligne {reader.line_num} ({error}) : vérifiez les guillemets."
        ) from error


def _chain(head: str, rest: io.TextIOWrapper) -> Iterator[str]:
    """The lines of `head` then of `rest` (the part already read to look at the header)."""
    buffer = io.StringIO(head + rest.readline())
    yield from buffer
    yield from rest


def read_geojson(file: BinaryIO) -> Iterator[SourceRow]:
    """Features of a GeoJSON FeatureCollection of points (RFC 7946: longitude, latitude)."""
    try:
        data = json.load(codecs.getreader("utf-8-sig")(file))
    except UnicodeDecodeError as error:
        raise ImportFileError("Le fichier n'est pas en UTF-8.") from error
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"JSON invalide ligne {error.lineno}, colonne {error.colno} : {error.msg} "
            "(fichier tronqué ?)."
        ) from error
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ImportFileError("Le fichier n'est pas une FeatureCollection GeoJSON.")
    features = data.get("features")
    if not isinstance(features, list):
        raise ImportFileError("La FeatureCollection n'a pas de liste « features ».")
    for number, feature in enumerate(features, start=1):
        values: dict[str, object] = {}
        if isinstance(feature, dict):
            properties = feature.get("properties")
            values.update(properties if isinstance(properties, dict) else {})
            if "id" not in values and feature.get("id") is not None:
                values["id"] = feature["id"]
            geometry = feature.get("geometry")
            if isinstance(geometry, dict) and geometry.get("type") == "Point":
                coordinates = geometry.get("coordinates")
                if isinstance(coordinates, list) and len(coordinates) >= 2:
                    values["lon"], values["lat"] = coordinates[0], coordinates[1]
            elif geometry is not None:
                values["lon"] = values["lat"] = None
                values["_geometry"] = geometry.get("type") if isinstance(geometry, dict) else "?"
        yield SourceRow(number, values)


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the CSV would hold it (numbers without ".0", dates in ISO)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    return str(value)


def read_spreadsheet(file: BinaryIO, file_format: str) -> Iterator[SourceRow]:
    """Rows of the first sheet of an XLSX or ODS workbook (tablib), header on row 1."""
    try:
        dataset = tablib.Dataset().load(file.read(), format=file_format)
    except Exception as error:  # openpyxl, odfpy and zipfile each raise their own
        raise ImportFileError(
            f"Classeur {file_format.upper()} illisible ({type(error).__name__}) : "
            "enregistrez-le à nouveau depuis votre tableur."
        ) from error
    header = [_cell_text(cell).strip() for cell in (dataset.headers or [])]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise ImportFileError("La première feuille du classeur est vide.")
    unnamed = [str(i) for i, column in enumerate(header, start=1) if not column]
    if unnamed:
        raise ImportFileError(
            f"En-tête : colonne(s) {', '.join(unnamed)} sans nom (cellules fusionnées ?) : "
            "une colonne par en-tête, sur la première ligne."
        )
    _check_header(header)
    for line, cells in enumerate(dataset, start=2):
        texts = [_cell_text(cell) for cell in cells]
        if any(text.strip() for text in texts):
            yield SourceRow(line, _values(header, texts))

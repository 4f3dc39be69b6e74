"""Import files read as rows: the project's own CSV and GeoJSON exports (directory/exports/).

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
from typing import BinaryIO

from directory.exports.csv_geojson import CSV_LIST_SEPARATOR, FORMULA_STARTS

# What a place cannot be imported without (the other columns of the export are optional).
REQUIRED_COLUMNS = ("id", "name", "lon", "lat")
LIST_COLUMNS = ("kinds", "competences", "languages")
FORMATS = ("csv", "geojson")


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
    raise ImportFileError(
        f"Format inconnu pour « {name} » : indiquez --format ({', '.join(FORMATS)})."
    )


def read(file: BinaryIO, file_format: str) -> Iterator[SourceRow]:
    if file_format == "csv":
        return read_csv(file)
    if file_format == "geojson":
        return read_geojson(file)
    raise ImportFileError(f"Format inconnu « {file_format} » : {', '.join(FORMATS)}.")


def _unneutralised(value: str) -> str:
    """The export writes "'=1+1" for a text starting like a formula: give back "=1+1"."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


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
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise ImportFileError(
                f"Colonnes obligatoires absentes : {', '.join(missing)} "
                f"(colonnes lues : {', '.join(header) or 'aucune'})."
            )
        duplicated = sorted({c for c in header if c and header.count(c) > 1})
        if duplicated:
            raise ImportFileError(f"Colonnes en double : {', '.join(duplicated)}.")
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if len(cells) > len(header):
                    raise ImportFileError(
                        f"Ligne {line} : {len(cells)} valeurs pour {len(header)} colonnes "
                        "(un séparateur ou un guillemet en trop ?)."
                    )
                values: dict[str, object] = {}
                for column, cell in zip(header, cells, strict=False):
                    cell = _unneutralised(cell.strip())
                    if column in LIST_COLUMNS:
                        values[column] = [v.strip() for v in cell.split(CSV_LIST_SEPARATOR)]
                        values[column] = [v for v in values[column] if v]
                    else:
                        values[column] = cell
                yield SourceRow(line, values)
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

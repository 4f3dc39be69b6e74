"""UNIMARC as PMB exports it (pymarc): ISO 2709 (.mrc, .iso, .unimarc) and MARCXML, in.

Each record becomes a neutral `Record`; a record that cannot be read is a problem of its
own (its number in the file, its 001 when it can be found, the reason) while the others
still parse. A file that is not MARC at all, is empty of records, or ends in the middle of
a record (a cut transfer: export it again) raises `UnreadableMarc`, whose message is French.

| UNIMARC                                  | Record                                        |
|------------------------------------------|-----------------------------------------------|
| 001                                      | key (the file's own id, quoted in reports)    |
| 200 $a (+ " : " $e)                      | title                                         |
| 700/701/702 $a, $b                       | authors, person « $a, $b »                    |
| 710/711/712 $a, $b                       | authors, organisation « $a. $b »              |
|   (main 7x0, then co-authors 7x1, then secondary 7x2, each in file order)                |
| 210 (or 214) $a / $c / $d                | place_published / publisher / year            |
| 100 $a/9-12 (when 210/214 $d has none)   | year                                          |
| 010 $a                                   | isbn                                          |
| 011 $a, else 461 $x                      | issn                                          |
| 017 $a with $2 doi; 856 $u https://doi.org/… | doi                                       |
| 330 $a                                   | abstract (several joined by a blank line)     |
| 101 $a (ISO 639-2: fre, ukr, per, prs…)  | language (the importer maps it to our codes)  |
| 461 $t, else 225 $a                      | container_title (journal, else series)        |
| 215 $a                                   | pages                                         |
| 856 $u (the first that is not a DOI link, else that link) | url                          |
| 606 $a, 610 $a                           | keywords (the importer keeps those that are themes) |
| PMB custom field 9xx whose $l/$n says « type », $a | type (« Rapport », « Vidéo »…)      |
| 105 $a/4-7: p report, m/v thesis, n/s legal | type (else)                                |
| leader/6-7: g video; a/b + a article; a/b + m book; r kit, game | type (else); other   |

Character sets: the UNIMARC leader says nothing of them (leader/9 "a" is MARC 21's UTF-8
flag, not UNIMARC's); 100 $a/26-29 declares them, "50" for Unicode, "01"/"03" for ISO 646
and ISO 5426. PMB writes its database's own charset, UTF-8 or ISO 8859-1, whatever the
declaration says, so a record is read as UTF-8 when its bytes are valid UTF-8 and as
ISO 8859-1 otherwise (true ISO 5426 diacritics are not decoded). MARCXML carries its own
encoding in the XML declaration.
"""

from __future__ import annotations

import re
import unicodedata
from io import BytesIO
from xml.sax import SAXException

import pymarc

from ..models import NoticeType
from .records import Record, type_from_label

RECORD_END, FIELD_END = b"\x1d", b"\x1e"
# ISO 6630 non-sorting markers (NSB/NSE) around a leading article: « \x88Les \x89droits ».
NON_SORTING = dict.fromkeys(map(ord, "\x88\x89\x98\x9c"))
ISBD_END = " /:;,="
ISBN = re.compile(r"[\dXx][\dXx -]{7,}[\dXx]")
YEAR = re.compile(r"\d{4}")
DOI_LINK = re.compile(r"^https?://(dx\.)?doi\.org/", re.IGNORECASE)
TYPE_WORDS = {
    "rapport": NoticeType.REPORT,
    "etude": NoticeType.STUDY,
    "these": NoticeType.STUDY,
    "memoire": NoticeType.STUDY,
    "article": NoticeType.ARTICLE,
    "livre": NoticeType.BOOK,
    "ouvrage": NoticeType.BOOK,
    "monographie": NoticeType.BOOK,
    "guide": NoticeType.GUIDE,
    "video": NoticeType.VIDEO,
    "dvd": NoticeType.VIDEO,
    "film": NoticeType.VIDEO,
    "outil pedagogique": NoticeType.TEACHING_TOOL,
    "jeu": NoticeType.TEACHING_TOOL,
    "texte juridique": NoticeType.LEGAL_TEXT,
    "texte officiel": NoticeType.LEGAL_TEXT,
}
CONTENTS_TYPES = {  # 105 $a/4-7, "form of contents"
    "p": NoticeType.REPORT,
    "m": NoticeType.STUDY,
    "v": NoticeType.STUDY,
    "n": NoticeType.LEGAL_TEXT,
    "s": NoticeType.LEGAL_TEXT,
}


class UnreadableMarc(ValueError):
    """The file as a whole is not readable UNIMARC: the reason, in French."""


# Reading ---------------------------------------------------------------------------------


def _decode(chunk: bytes) -> pymarc.Record:
    """One ISO 2709 record: UTF-8 when its bytes are, else ISO 8859-1 (see the docstring)."""
    try:
        return pymarc.Record(chunk, force_utf8=True, utf8_handling="strict")
    except UnicodeDecodeError:
        # "latin-1", not "iso8859-1": pymarc reads that spelling as MARC-8.
        return pymarc.Record(chunk, file_encoding="latin-1")


def _control_number(chunk: bytes) -> str:
    """The 001 of a record pymarc could not read, from its directory when that is sound
    (the data start after the directory, whatever the leader says)."""
    try:
        end = chunk.index(FIELD_END)
        base, directory = end + 1, chunk[24:end]
        for i in range(0, len(directory) - 11, 12):
            if directory[i : i + 3] == b"001":
                length, offset = int(directory[i + 3 : i + 7]), int(directory[i + 7 : i + 12])
                value = chunk[base + offset : base + offset + length - 1]
                return value.decode("utf-8", "replace").strip()[:40]
    except (ValueError, IndexError):
        pass
    return ""


def _where(number: int, control: str) -> str:
    return f"notice {number}" + (f" (001 « {control} »)" if control else "")


def _reason(error: Exception) -> str:
    reasons = {
        pymarc.exceptions.RecordLeaderInvalid: "en-tête (label) invalide",
        pymarc.exceptions.BaseAddressNotFound: "adresse des données absente de l'en-tête",
        pymarc.exceptions.BaseAddressInvalid: "adresse des données hors de la notice",
        pymarc.exceptions.RecordDirectoryInvalid: "répertoire des zones invalide",
        pymarc.exceptions.TruncatedRecord: "notice plus courte que sa longueur annoncée",
    }
    for kind, reason in reasons.items():
        if isinstance(error, kind):
            return reason
    if isinstance(error, (ValueError, UnicodeError)):
        return "répertoire ou en-tête illisible"
    return f"notice illisible ({type(error).__name__})"


def loads_iso2709(data: bytes) -> tuple[list[Record], list[str]]:
    """The records of an ISO 2709 file, and a message per record that could not be read."""
    data = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not data:
        raise UnreadableMarc("le fichier est vide")
    if data[:1] == b"<":
        raise UnreadableMarc(
            "ce fichier est du XML, pas de l'UNIMARC ISO 2709 : précisez --format marcxml"
        )
    if not data[:5].isdigit() or FIELD_END not in data:
        raise UnreadableMarc(
            "ce n'est pas un fichier UNIMARC ISO 2709 (pas d'en-tête de notice au début)"
        )
    # Split on the record terminator rather than trust each leader's length: one wrong
    # length would otherwise shift every record after it.
    *chunks, tail = data.split(RECORD_END)
    if tail.strip():
        number = len(chunks) + 1
        declared = tail[:5].decode("ascii", "replace")
        raise UnreadableMarc(
            f"le fichier est tronqué : la {_where(number, _control_number(tail))} s'arrête "
            f"avant sa fin ({len(tail)} octets sur {declared.lstrip('0') or '?'} annoncés) ; "
            "exportez-le de nouveau"
        )
    records, problems = [], []
    for number, chunk in enumerate((c.lstrip() + RECORD_END for c in chunks), start=1):
        if len(chunk) == 1:
            continue
        try:
            marc = _decode(chunk)
        except Exception as error:  # noqa: BLE001 - pymarc's errors: this record is damaged
            control = _control_number(chunk)
            problems.append(f"{_where(number, control)} illisible : {_reason(error)}")
            continue
        records.append(from_marc(marc, number))
    if not records:
        raise UnreadableMarc(f"aucune notice lisible ({'; '.join(problems[:3])})")
    return records, problems


def loads_marcxml(data: bytes) -> tuple[list[Record], list[str]]:
    """The records of a MARCXML file (UNIMARC content), and a message per empty record."""
    if not data.strip():
        raise UnreadableMarc("le fichier est vide")
    try:
        # strict=False: PMB's and other tools' files do not always carry the MARC 21 slim
        # namespace; every <record> is read by its local name.
        marcs = pymarc.parse_xml_to_array(BytesIO(data), strict=False)
    except SAXException as error:
        where = ""
        if hasattr(error, "getLineNumber"):
            where = f" à la ligne {error.getLineNumber()}, colonne {error.getColumnNumber()}"
        raise UnreadableMarc(
            f"ce n'est pas un fichier MARCXML lisible (XML mal formé{where} : {error.getMessage()})"
        ) from None
    if not marcs:
        raise UnreadableMarc(
            "ce n'est pas un fichier MARCXML (aucun élément <record> de notice MARC)"
        )
    records, problems = [], []
    for number, marc in enumerate(marcs, start=1):
        if not marc.fields:
            problems.append(f"{_where(number, '')} illisible : aucune zone")
            continue
        records.append(from_marc(marc, number))
    return records, problems


# Mapping ---------------------------------------------------------------------------------


def clean(text: str | None) -> str:
    text = unicodedata.normalize("NFC", (text or "").translate(NON_SORTING))
    return re.sub(r"\s+", " ", text).strip().rstrip(ISBD_END).strip()


def _values(marc: pymarc.Record, tags: tuple[str, ...], code: str) -> list[str]:
    found = []
    for field in marc.get_fields(*tags):
        if not field.is_control_field():
            found.extend(clean(v) for v in field.get_subfields(code))
    return [v for v in found if v]


def _first(marc: pymarc.Record, tags: tuple[str, ...], code: str) -> str:
    return next(iter(_values(marc, tags, code)), "")


def _coded(marc: pymarc.Record, tag: str) -> str:
    """A coded subfield $a (100, 105): positions count, so no cleaning."""
    field = next(iter(marc.get_fields(tag)), None)
    return (field.get("a") or "") if field is not None and not field.is_control_field() else ""


def _control(marc: pymarc.Record, tag: str) -> str:
    field = marc.get(tag)
    return (field.data or "").strip() if field is not None and field.is_control_field() else ""


def _title(marc: pymarc.Record) -> str:
    field = next(iter(marc.get_fields("200")), None)
    if field is None:
        return ""
    titles = [clean(v) for v in field.get_subfields("a") if clean(v)]
    subtitles = [clean(v) for v in field.get_subfields("e") if clean(v)]
    return " : ".join([" ; ".join(titles), *subtitles]) if titles else ""


def _authors(marc: pymarc.Record) -> list[tuple[str, str]]:
    fields = [
        (field.tag[2], i, field)
        for i, field in enumerate(marc.get_fields("700", "701", "702", "710", "711", "712"))
    ]
    authors = []
    for _level, _i, field in sorted(fields, key=lambda item: item[:2]):
        name = clean(field.get("a"))
        parts = [clean(v) for v in field.get_subfields("b") if clean(v)]
        if not name:
            continue
        if field.tag.startswith("70"):
            authors.append(("person", f"{name}, {parts[0]}" if parts else name))
        else:
            authors.append(("organisation", ". ".join([name, *parts])))
    return authors


def _year(marc: pymarc.Record) -> int | None:
    for text in _values(marc, ("210", "214"), "d"):
        if match := YEAR.search(text):
            return int(match.group())
    coded = _coded(marc, "100")
    return int(coded[9:13]) if coded[9:13].isdigit() else None


def _doi(marc: pymarc.Record) -> str:
    for field in marc.get_fields("017"):
        if (field.get("2") or "").strip().lower() == "doi" and clean(field.get("a")):
            return clean(field.get("a"))
    for link in _values(marc, ("856",), "u"):
        if DOI_LINK.match(link):
            return DOI_LINK.sub("", link)
    return ""


def _type(marc: pymarc.Record) -> str:
    for field in marc.fields:
        if field.tag.startswith("9") and not field.is_control_field():
            label = f"{field.get('l') or ''} {field.get('n') or ''}".lower()
            if "type" in label and (found := _type_word(clean(field.get("a")))):
                return found
    contents = _coded(marc, "105")[4:8]
    for code in contents:
        if code in CONTENTS_TYPES:
            return CONTENTS_TYPES[code]
    kind, level = marc.leader[6:7], marc.leader[7:8]
    if kind == "g":
        return NoticeType.VIDEO
    if kind in ("a", "b") and level == "a":
        return NoticeType.ARTICLE
    if kind in ("a", "b") and level == "m":
        return NoticeType.BOOK
    if kind == "r":
        return NoticeType.TEACHING_TOOL
    return NoticeType.OTHER


def _type_word(text: str) -> str | None:
    if found := type_from_label(text):
        return found
    folded = "".join(
        c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c)
    )
    return TYPE_WORDS.get(folded)


def from_marc(marc: pymarc.Record, number: int) -> Record:
    isbn = _first(marc, ("010",), "a")
    links = _values(marc, ("856",), "u")
    return Record(
        title=_title(marc),
        type=_type(marc),
        authors=_authors(marc),
        year=_year(marc),
        publisher=_first(marc, ("210", "214"), "c"),
        place_published=_first(marc, ("210", "214"), "a"),
        container_title=_first(marc, ("461",), "t") or _first(marc, ("225",), "a"),
        pages=_first(marc, ("215",), "a"),
        abstract="\n\n".join(_values(marc, ("330",), "a")),
        url=next((u for u in links if not DOI_LINK.match(u)), links[0] if links else ""),
        isbn=(m.group() if (m := ISBN.search(isbn)) else isbn),
        issn=_first(marc, ("011",), "a") or _first(marc, ("461",), "x"),
        doi=_doi(marc),
        language=_first(marc, ("101",), "a").lower(),
        keywords=_values(marc, ("606", "610"), "a"),
        key=_control(marc, "001"),
        position=number,
    )

"""Import of notices from RIS, BibTeX or UNIMARC files (PMB's exports: ISO 2709, MARCXML):
every record checked as the admin checks a notice (services.notice_save), a report line per
record, nothing written on a dry run.

Records become drafts of one author centre. A record is rejected, with its reasons, when it
has no title, an invalid ISBN/ISSN/DOI/date/URL, or is already in the base (same DOI or
ISBN, or same title and year) or twice in the file. A file with a rejected record writes
nothing unless `accept_partial`; a file that cannot be read writes nothing at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from core.stemming import fold
from directory.languages import LANGUAGES
from directory.models import Organisation
from practices.models import Theme

from .formats import bibtex, ris, unimarc
from .formats.records import Record
from .models import Notice, NoticeStatus
from .services import AuthorData, notice_save

FORMATS = ("ris", "bibtex", "unimarc", "marcxml")
EXTENSIONS = {
    ".ris": "ris",
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".mrc": "unimarc",
    ".iso": "unimarc",
    ".unimarc": "unimarc",
    ".marc": "unimarc",
    ".xml": "marcxml",
}
MARC_READERS = {"unimarc": unimarc.loads_iso2709, "marcxml": unimarc.loads_marcxml}
# ISO 639-2 codes (UNIMARC 101, and some RIS/BibTeX files) of our languages; both the
# bibliographic (fre, per) and the terminology (fra, fas) forms. Dari (prs) is written as
# Persian: the directory's languages do not tell them apart.
LANGUAGE_ALIASES = {
    **{"fre": "fr", "fra": "fr", "eng": "en", "ara": "ar", "ukr": "uk", "spa": "es"},
    **{"por": "pt", "ita": "it", "ger": "de", "deu": "de", "dut": "nl", "nld": "nl"},
    **{"rus": "ru", "pol": "pl", "rum": "ro", "ron": "ro", "bul": "bg", "srp": "sr"},
    **{"hrv": "hr", "bos": "bs", "alb": "sq", "sqi": "sq", "gre": "el", "ell": "el"},
    **{"tur": "tr", "kur": "ku", "arm": "hy", "hye": "hy", "geo": "ka", "kat": "ka"},
    **{"per": "fa", "fas": "fa", "prs": "fa", "pus": "ps", "urd": "ur", "hin": "hi"},
    **{"ben": "bn", "pan": "pa", "tam": "ta", "sin": "si", "nep": "ne", "chi": "zh"},
    **{"zho": "zh", "vie": "vi", "khm": "km", "mon": "mn", "heb": "he", "amh": "am"},
    **{"tir": "ti", "som": "so", "swa": "sw", "lin": "ln", "wol": "wo", "bam": "bm"},
    **{"ful": "ff", "hau": "ha", "yor": "yo", "mlg": "mg", "hat": "ht", "sag": "sg"},
    **{"kin": "rw"},
}


class UnreadableFile(Exception):
    """The file as a whole cannot be read: its reason, in French."""


@dataclass
class RecordResult:
    number: int
    title: str
    notice: Notice | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return bool(self.reasons)


@dataclass
class ImportReport:
    results: list[RecordResult] = field(default_factory=list)
    written: bool = False

    @property
    def accepted(self) -> list[RecordResult]:
        return [r for r in self.results if not r.rejected]

    @property
    def rejected(self) -> list[RecordResult]:
        return [r for r in self.results if r.rejected]


def detect_format(path: Path, given: str | None) -> str:
    if given:
        return given
    found = EXTENSIONS.get(path.suffix.lower())
    if not found:
        raise UnreadableFile(
            f"format inconnu pour « {path.name} » : précisez --format "
            "ris, bibtex, unimarc (ISO 2709) ou marcxml"
        )
    return found


def read_records(data: bytes, fmt: str) -> tuple[list[Record], list[str]]:
    if fmt in MARC_READERS:  # ISO 2709 is bytes: each record declares its own charset
        try:
            return MARC_READERS[fmt](data)
        except unimarc.UnreadableMarc as error:
            raise UnreadableFile(str(error)) from None
        except Exception as error:  # noqa: BLE001 - a parser's own error: the file is damaged
            raise UnreadableFile(
                f"fichier {fmt.upper()} endommagé ({type(error).__name__}: {str(error)[:200]})"
            ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            f"le fichier n'est pas en UTF-8 (octet illisible à la position {error.start})"
        ) from None
    if not text.strip():
        raise UnreadableFile("le fichier est vide")
    try:
        if fmt == "ris":
            return ris.loads(text), []
        return bibtex.loads(text)
    except ValueError as error:
        raise UnreadableFile(f"ce n'est pas un fichier {fmt.upper()} lisible ({error})") from None
    except Exception as error:  # noqa: BLE001 - a parser's own error: the file is damaged
        raise UnreadableFile(
            f"fichier {fmt.upper()} endommagé ({type(error).__name__}: {str(error)[:200]})"
        ) from None


def _language(code: str) -> str:
    code = (code or "").strip().lower()
    code = LANGUAGE_ALIASES.get(code, code)
    if code in LANGUAGES:
        return code
    for key, names in LANGUAGES.items():
        if code in {n.lower() for n in ([names] if isinstance(names, str) else names)}:
            return key
    return ""


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [
            f"{name} : {message}" if name != "__all__" else message
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return list(error.messages)


def _duplicate(record: Record) -> str | None:
    query = Q()
    if record.doi:
        query |= Q(doi__iexact=record.doi)
    if record.isbn:
        query |= Q(isbn="".join(c for c in record.isbn if c.isalnum()).upper())
    if record.title and record.year:
        query |= Q(title__iexact=record.title, year=record.year)
    if not query:
        return None
    found = Notice.objects.filter(query).first()
    return found.slug if found else None


def import_records(
    records: list[Record],
    *,
    centre: Organisation,
    write: bool,
    accept_partial: bool = False,
    failed_blocks: list[str] = (),
    user=None,
) -> ImportReport:
    report = ImportReport()
    themes = {" ".join(fold(t.name)): t for t in Theme.objects.all()}
    for n, message in enumerate(failed_blocks, start=1):
        report.results.append(RecordResult(number=-n, title="?", reasons=[message]))
    seen: set[tuple[str, int | None]] = set()
    with transaction.atomic():
        for number, record in enumerate(records, start=1):
            untitled = (
                f"(sans titre, identifiant « {record.key} »)" if record.key else "(sans titre)"
            )
            result = RecordResult(
                number=record.position or number, title=record.title[:120] or untitled
            )
            report.results.append(result)
            if not record.title.strip():
                result.reasons.append("titre manquant")
            identity = (" ".join(fold(record.title)), record.year)
            if identity in seen:
                result.reasons.append("deux fois dans le fichier (même titre, même année)")
            seen.add(identity)
            if existing := _duplicate(record):
                result.reasons.append(f"déjà dans la base (notice « {existing} »)")
            if result.reasons:
                continue
            notice = Notice(
                title=record.title.strip()[:300],
                type=record.type,
                year=record.year,
                month=record.month,
                day=record.day,
                publisher=record.publisher[:200],
                place_published=record.place_published[:100],
                container_title=record.container_title[:200],
                pages=record.pages[:30],
                abstract=record.abstract,
                url=record.url[:500],
                isbn=record.isbn,
                issn=record.issn,
                doi=record.doi,
                language=_language(record.language),
                author_centre=centre,
                status=NoticeStatus.DRAFT,
            )
            notice._history_user = user
            notice._change_reason = "Import de notices"
            try:
                with transaction.atomic():
                    notice_save(
                        notice=notice,
                        authors=[AuthorData(name=name, kind=kind) for kind, name in record.authors],
                        themes=[
                            themes[k]
                            for k in (" ".join(fold(w)) for w in record.keywords)
                            if k in themes
                        ],
                    )
            except ValidationError as error:
                result.reasons.extend(_messages(error))
                continue
            result.notice = notice
        report.written = write and (accept_partial or not report.rejected)
        if not report.written:
            transaction.set_rollback(True)
    return report

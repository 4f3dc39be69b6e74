"""UNIMARC from PMB (ISO 2709 and MARCXML) through manage.py import_notices: dry run by
default, the notices as PMB described them, nothing written from a damaged file.

The samples are written by tests/resources/data/make_pmb_samples.py."""

from io import StringIO
from pathlib import Path

import pymarc
import pytest
from django.core.management import CommandError, call_command

from resources.formats import unimarc
from resources.importer import UnreadableFile, _language, read_records
from resources.models import Notice
from tests.practices.factories import member_centre

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
SAMPLE, LATIN1, XML = (
    DATA / "pmb-sample.mrc",
    DATA / "pmb-sample-latin1.mrc",
    DATA / "pmb-sample.xml",
)
MALFORMED = DATA / "pmb-malformed.mrc"
TITLES = [
    "L'accès aux droits des personnes exilées en zone rurale : état des lieux 2021-2023",
    "Apprendre le français à l'âge adulte : méthodes et témoignages",
    "Les ateliers sociolinguistiques, une porte d'entrée vers l'emploi",
    "Premiers pas à la préfecture : film documentaire",
    "Доступ до медичної допомоги у Франції : практичний посібник",
    "Se loger en attendant le titre de séjour : repères pour les bénévoles",
]


@pytest.fixture
def centre():
    return member_centre("Centre importateur", slug="centre-importateur")


def run(path, *args) -> str:
    out = StringIO()
    call_command("import_notices", str(path), "--centre", "centre-importateur", *args, stdout=out)
    return out.getvalue()


def authors(notice: Notice) -> list[tuple[str, str]]:
    return [(a.kind, a.name) for a in notice.authors.all()]


def sample_records() -> list[pymarc.Record]:
    return list(pymarc.MARCReader(SAMPLE.read_bytes(), force_utf8=True))


def write_marc(path: Path, records: list[pymarc.Record]) -> Path:
    for r in records:
        r.to_unicode = False  # keep the UNIMARC leader (pymarc would set MARC 21's leader/9)
    path.write_bytes(b"".join(r.as_marc() for r in records))
    return path


def test_dry_run_reports_every_record_and_writes_nothing(centre):
    output = run(SAMPLE)
    for number, title in enumerate(TITLES, start=1):
        assert f"acceptée notice {number} « {title} »" in output
    assert "6 notice(s) acceptée(s), 0 rejetée(s). Essai à blanc" in output
    assert Notice.objects.count() == 0


def test_write_creates_the_notices_as_pmb_described_them(centre):
    output = run(SAMPLE, "--write")
    assert "6 écrite(s) en brouillon" in output
    report = Notice.objects.get(title=TITLES[0])
    assert (report.type, report.year, report.language) == ("report", 2023, "fr")
    assert (report.publisher, report.place_published) == (
        "Observatoire régional de l'intégration",
        "Lyon",
    )
    assert authors(report) == [
        ("person", "Lemaire, Anne"),
        ("person", "Benali, Karim"),
        ("organisation", "Observatoire régional de l'intégration. Pôle études"),
    ]
    assert report.abstract.startswith("Une enquête auprès de trente communes")
    assert report.url == "https://exemple.org/rapports/acces-droits-2023.pdf"
    assert [t.slug for t in report.themes.all()] == ["langue"]

    book = Notice.objects.get(isbn="9782912345677")
    assert (book.title, book.type, book.year) == (TITLES[1], "book", 2019)
    assert (book.publisher, book.container_title) == ("Éditions du Réseau", "Collection Repères")
    assert authors(book) == [("person", "Moreau, Claire"), ("person", "Da Silva, João")]

    article = Notice.objects.get(doi="10.5555/ateliers.2022")
    assert (article.type, article.container_title, article.issn) == (
        "article",
        "Hommes et territoires",
        "1234-5679",
    )
    assert article.pages == "p. 12-18" and article.year == 2022

    video = Notice.objects.get(title=TITLES[3])
    assert (video.type, video.publisher, authors(video)) == (
        "video",
        "Ciné-Quartier",
        [("person", "Nguyen, Thomas")],
    )

    ukrainian = Notice.objects.get(title=TITLES[4])
    assert (ukrainian.language, ukrainian.type) == ("uk", "guide")
    assert authors(ukrainian) == [("person", "Коваленко, Олена")]

    collective = Notice.objects.get(title=TITLES[5])
    assert authors(collective) == [("organisation", "Centre ressources Intégration Rhône")]
    assert collective.status == "draft" and collective.author_centre == centre


def test_latin1_records_keep_their_accents(centre):
    data = LATIN1.read_bytes()
    assert b"\xc9ducation" in data  # really ISO 8859-1 bytes, not UTF-8
    run(LATIN1, "--write")
    first = Notice.objects.get(year=2018)
    assert first.title == "Éducation populaire et français langue d'intégration"
    assert first.place_published == "Besançon"
    assert authors(first) == [("person", "Lefèvre, Hélène")]
    second = Notice.objects.get(year=2021)
    assert second.title == (
        "Médiation numérique : l'accès aux droits à l'épreuve des démarches en ligne"
    )
    assert authors(second) == [("organisation", "Maison des solidarités. Service accueil")]


def test_marcxml_reads_the_same_records_as_iso2709(centre):
    from_iso, iso_problems = read_records(SAMPLE.read_bytes(), "unimarc")
    from_xml, xml_problems = read_records(XML.read_bytes(), "marcxml")
    assert iso_problems == xml_problems == []
    assert [r.title for r in from_xml] == TITLES
    assert from_xml == from_iso
    output = run(XML, "--write")  # .xml is MARCXML without --format
    assert "6 écrite(s) en brouillon" in output
    assert authors(Notice.objects.get(title=TITLES[0]))[2][0] == "organisation"
    assert Notice.objects.get(title=TITLES[4]).language == "uk"


def test_reimport_is_detected_as_duplicates_and_writes_nothing(centre):
    run(SAMPLE, "--write")
    with pytest.raises(CommandError, match="des notices sont rejetées"):
        run(SAMPLE, "--write")
    assert Notice.objects.count() == 6
    output = run(XML)
    assert output.count("déjà dans la base") == 6
    assert "0 notice(s) acceptée(s), 6 rejetée(s)" in output


def test_truncated_file_is_unreadable_and_writes_nothing(centre):
    with pytest.raises(CommandError) as caught:
        run(MALFORMED, "--write")
    message = str(caught.value)
    assert message.startswith("pmb-malformed.mrc : le fichier est tronqué")
    assert "notice 2 (001 « PMB-102 »)" in message and "Rien n'a été écrit" in message
    assert Notice.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("vide.mrc", b"", "le fichier est vide"),
        ("vide.xml", b"  \n", "le fichier est vide"),
        ("lettre.mrc", b"Bonjour, voici nos notices.", "pas un fichier UNIMARC ISO 2709"),
        ("export.mrc", XML.read_bytes(), "précisez --format marcxml"),
        ("casse.xml", XML.read_bytes()[:700], "XML mal formé à la ligne 1"),
        ("autre.xml", b"<?xml version='1.0'?><notes><n>1</n></notes>", "aucun élément <record>"),
        ("notices.unimarc", SAMPLE.read_bytes()[:300], "le fichier est tronqué"),
    ],
)
def test_unreadable_files_write_nothing(tmp_path, centre, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(path, "--write")
    assert Notice.objects.count() == 0


def test_reader_raises_unreadable_file():
    with pytest.raises(UnreadableFile, match="tronqué"):
        read_records(MALFORMED.read_bytes(), "unimarc")


def test_a_corrupted_record_is_reported_with_its_number_and_001(tmp_path, centre):
    chunks = SAMPLE.read_bytes().split(b"\x1d")
    third = chunks[2]
    chunks[2] = third[:12] + b"99999" + third[17:]  # data said to start past the record's end
    path = tmp_path / "export.iso"
    path.write_bytes(b"\x1d".join(chunks))
    records, problems = unimarc.loads_iso2709(path.read_bytes())
    assert [r.position for r in records] == [1, 2, 4, 5, 6]
    assert problems == [
        "notice 3 (001 « PMB-103 ») illisible : adresse des données hors de la notice"
    ]
    with pytest.raises(CommandError, match="des notices sont rejetées"):
        run(path, "--write")
    assert Notice.objects.count() == 0
    output = run(path)
    assert "notice 3 (001 « PMB-103 ») illisible" in output
    assert f"acceptée notice 4 « {TITLES[3]} »" in output
    run(path, "--write", "--accept-partial")
    assert Notice.objects.count() == 5


def test_a_record_without_title_is_rejected_with_its_number(tmp_path, centre):
    records = sample_records()
    records[1].remove_fields("200")
    path = write_marc(tmp_path / "export.mrc", records)
    with pytest.raises(CommandError):
        run(path, "--write")
    assert Notice.objects.count() == 0
    output = run(path)
    assert "rejetée  notice 2 « (sans titre, identifiant « PMB-102 ») » : titre manquant" in output
    assert "5 notice(s) acceptée(s), 1 rejetée(s)" in output


def test_languages_and_types_from_other_pmb_fields():
    marc = sample_records()[0]
    marc["101"]["a"] = "prs"  # Dari: our languages write it as Persian
    marc.remove_fields("105")
    marc.leader = pymarc.Leader("00000nga0 2200000 i 450 ")  # a projected medium
    record = unimarc.from_marc(marc, 1)
    assert (record.language, record.type) == ("prs", "video")
    assert _language(record.language) == "fa"
    marc.add_field(
        pymarc.Field(
            "900",
            pymarc.Indicators(" ", " "),
            [pymarc.Subfield("a", "Texte officiel"), pymarc.Subfield("l", "Type de document")],
        )
    )
    assert unimarc.from_marc(marc, 1).type == "legal_text"


def test_marcxml_is_read_by_pymarc_namespace_or_not():
    xml = XML.read_bytes().replace(b' xmlns="http://www.loc.gov/MARC21/slim"', b"")
    records, problems = unimarc.loads_marcxml(xml)
    assert [r.title for r in records] == TITLES and problems == []

"""RIS and BibTeX: a notice written out and read back is the same notice; exports of a
bibliography and of a search; the citation."""

import bibtexparser
import pytest
import rispy
from django.urls import reverse

from resources.citation import citation_html, citation_text
from resources.formats import bibtex, ris
from resources.formats.records import Record, from_notice

from .factories import make_bibliography, make_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_notice():
    return make_notice(
        "L'accueil des 50 % & plus : « bilan » d'une décennie_1",
        abstract="Résumé long, avec des accents : éàü, une {accolade} et 100 %.",
        authors=[
            ("person", "Dupont, Marie-Hélène"),
            ("person", "Nguyen, Thomas"),
            ("organisation", "Centre ressources Intégration"),
        ],
        themes=["langue", "logement"],
        type="study",
        year=2019,
        month=3,
        day=5,
        publisher="Éditions du Réseau",
        place_published="Lyon",
        container_title="Collection Repères",
        pages="12-34",
        isbn="978-2-07-061275-8",
        doi="10.1234/accueil.2019",
        url="https://exemple.org/doc?a=1&b=2",
        language="fr",
    )


def comparable(record: Record) -> Record:
    record.key = ""
    record.abstract = record.abstract.replace("{", "(").replace("}", ")")
    record.title = record.title.replace("{", "(").replace("}", ")")
    return record


@pytest.mark.parametrize("module", [ris, bibtex], ids=["ris", "bibtex"])
def test_round_trip(rich_notice, module):
    written = module.dumps([from_notice(rich_notice)])
    read = module.loads(written)
    records = read[0] if module is bibtex else read
    if module is bibtex:
        assert read[1] == []
    assert len(records) == 1
    assert comparable(records[0]) == comparable(from_notice(rich_notice))


HOSTILE = [
    "Résumé.\nER  - \nTY  - JOUR\nTI  - X",
    "Résumé.\r\nER  - \u2028TY  - JOUR\x85TI  - X",
    "x\n@misc{evil,\n title = {Pwn}\n}\n",
    "a @misc{evil, title={x}}",
    "chemin C:\\dossier\\",
    "a } b { c",
]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("module", [ris, bibtex], ids=["ris", "bibtex"])
def test_a_value_cannot_open_a_record_of_its_own(module, text):
    record = Record(
        title=f"Titre {text}",
        type="article",
        authors=[("person", f"Dupont{text}, Marie"), ("organisation", f"Asso {text}")],
        year=2020,
        abstract=text,
        publisher=text,
        url=f"https://exemple.org/{text}",
        keywords=["langue", text],
        key="piege",
    )
    read = module.loads(module.dumps([record]))
    records = read[0] if module is bibtex else read
    if module is bibtex:
        assert read[1] == []
    assert len(records) == 1
    assert records[0].title.startswith("Titre ")
    assert records[0].year == 2020 and records[0].type == "article"
    if "\\" in text:
        assert records[0].abstract == text  # a backslash is kept, not an escape


def test_ris_is_read_by_rispy_as_library_tools_read_it(rich_notice):
    entry = rispy.loads(ris.dumps([from_notice(rich_notice)]))[0]
    assert entry["type_of_reference"] == "RPRT"
    assert entry["authors"] == [
        "Dupont, Marie-Hélène",
        "Nguyen, Thomas",
        "Centre ressources Intégration",
    ]
    assert entry["doi"] == "10.1234/accueil.2019"
    assert entry["date"] == "2019/03/05"


def test_bibtex_keeps_organisations_whole_and_escapes_latex(rich_notice):
    text = bibtex.dumps([from_notice(rich_notice)])
    entry = bibtexparser.parse_string(text).entries[0]
    assert entry.entry_type == "techreport"
    assert entry["author"] == (
        "Dupont, Marie-Hélène and Nguyen, Thomas and {Centre ressources Intégration}"
    )
    assert r"50 \% \& plus" in entry["title"]
    assert entry["url"] == "https://exemple.org/doc?a=1&b=2"


def test_latex_accents_from_other_tools_are_decoded():
    records, failed = bibtex.loads(
        "@book{k, title={L'acc{\\`e}s aux droits}, author={Jean Dupont and {\\'Ecole des parents}},"
        " year={2018}, publisher={Presses}}"
    )
    assert failed == []
    assert records[0].title == "L'accès aux droits"
    assert records[0].authors == [("person", "Dupont, Jean"), ("organisation", "École des parents")]
    assert records[0].type == "book" and records[0].year == 2018


def test_citation_is_iso690_author_date_in_french(rich_notice):
    assert citation_text(rich_notice) == (
        "DUPONT, Marie-Hélène, NGUYEN, Thomas et CENTRE RESSOURCES INTÉGRATION, 2019. "
        "L'accueil des 50 % & plus : « bilan » d'une décennie_1. Collection Repères. "
        "Lyon : Éditions du Réseau. p. 12\u201134. ISBN 9782070612758. DOI 10.1234/accueil.2019."
    )


def test_citation_without_date_and_html_escaped():
    notice = make_notice("<script>alert(1)</script>", year=None, authors=[("person", "Solo, Ana")])
    html = citation_html(notice)
    assert "<script>" not in html
    assert "<i>&lt;script&gt;alert(1)&lt;/script&gt;</i>" in html
    assert html.startswith("SOLO, Ana, s.\xa0d.")  # "sans date", French locale


def test_bibliography_and_search_downloads(client):
    first = make_notice("Premier document", year=2020)
    second = make_notice("Second document sur les langues", year=2021)
    bibliography = make_bibliography("Sélection", [second, first])
    response = client.get(reverse("resources:bibliography-export", args=[bibliography.slug, "ris"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    assert 'filename="selection.ris"' in response["Content-Disposition"]
    assert [e["title"] for e in rispy.loads(response.content.decode())] == [
        "Second document sur les langues",
        "Premier document",
    ]
    response = client.get(reverse("resources:search-export", args=["bibtex"]), {"q": "langue"})
    entries = bibtexparser.parse_string(response.content.decode()).entries
    assert [e["title"] for e in entries] == ["Second document sur les langues"]
    response = client.get(reverse("resources:notice-export", args=[first.slug, "xml"]))
    assert response.status_code == 404


def test_a_search_export_reads_only_the_rows_it_writes(client, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from resources import views

    monkeypatch.setattr(views, "MAX_EXPORTED", 2)
    for year in (2019, 2020, 2021):
        make_notice(f"Document sur les langues {year}", year=year)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("resources:search-export", args=["ris"]), {"q": "langue"})
    assert len(rispy.loads(response.content.decode())) == 2
    assert any("LIMIT 2" in query["sql"] for query in captured)

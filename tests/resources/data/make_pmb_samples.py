"""Writes the UNIMARC samples of tests/resources/test_unimarc.py, as PMB exports them.

    .venv/bin/python tests/resources/data/make_pmb_samples.py

pmb-sample.mrc      six records in UTF-8 (100 $a/26-29 "50  "): a report, a book with an
                    ISBN, a journal article with a DOI, a video, a guide in Ukrainian, a
                    book whose only author is an organisation
pmb-sample.xml      the same six records in MARCXML
pmb-sample-latin1.mrc  two records in ISO 8859-1 (declared "0103", as PMB writes it)
pmb-malformed.mrc   a sound record, then one cut in the middle (a broken transfer)

The bibliographic content is invented.
"""

from __future__ import annotations

from pathlib import Path

from pymarc import Field, Indicators, Leader, Record, Subfield, XMLWriter

HERE = Path(__file__).resolve().parent


def coded_data(year: str, charset: str) -> str:
    """100 $a: entry date, publication date, audience, cataloguing language, charsets."""
    value = f"20240115d{year}    u  y0frey{charset:<4}    ba"
    assert len(value) == 36, value
    return value


def field(tag: str, *pairs: str, indicators: str = "  ") -> Field:
    subfields = [Subfield(code=pairs[i], value=pairs[i + 1]) for i in range(0, len(pairs), 2)]
    return Field(tag=tag, indicators=Indicators(*indicators), subfields=subfields)


def record(
    ident: str, kind: str, year: str, fields: list[Field], *, charset="50", utf8=True
) -> Record:
    # pymarc writes MARC 21 leaders (leader/9 "a" for UTF-8, "4500" at the end) when it
    # builds or, with to_unicode, serialises a record; UNIMARC's are set afterwards.
    marc = Record(to_unicode=False, force_utf8=utf8)
    marc.leader = Leader(f"00000n{kind}0 2200000 i 450 ")
    marc.add_field(Field(tag="001", data=ident))
    marc.add_field(field("100", "a", coded_data(year, charset)))
    for f in fields:
        marc.add_field(f)
    return marc


def samples() -> list[Record]:
    return [
        record(
            "PMB-101",
            "am",
            "2023",
            [
                field("101", "a", "fre", indicators="0 "),
                field("105", "a", "a   p   000yy"),
                field(
                    "200",
                    "a",
                    "\x88L'\x89accès aux droits des personnes exilées en zone rurale",
                    "e",
                    "état des lieux 2021-2023",
                    indicators="1 ",
                ),
                field(
                    "210", "a", "Lyon", "c", "Observatoire régional de l'intégration", "d", "2023"
                ),
                field("215", "a", "86 p."),
                field(
                    "330",
                    "a",
                    "Une enquête auprès de trente communes sur les obstacles que rencontrent "
                    "les personnes exilées pour faire valoir leurs droits loin des villes.",
                ),
                field("610", "a", "Langue"),
                field("700", "a", "Lemaire", "b", "Anne", "4", "070", indicators=" 1"),
                field("701", "a", "Benali", "b", "Karim", "4", "070", indicators=" 1"),
                field(
                    "711",
                    "a",
                    "Observatoire régional de l'intégration",
                    "b",
                    "Pôle études",
                    indicators="02",
                ),
                field("856", "u", "https://exemple.org/rapports/acces-droits-2023.pdf"),
            ],
        ),
        record(
            "PMB-102",
            "am",
            "2019",
            [
                field("010", "a", "978-2-912345-67-7", "b", "br.", "d", "18 EUR"),
                field("101", "a", "fre", indicators="0 "),
                field(
                    "200",
                    "a",
                    "Apprendre le français à l'âge adulte",
                    "e",
                    "méthodes et témoignages",
                    indicators="1 ",
                ),
                field("210", "a", "Paris", "c", "Éditions du Réseau", "d", "DL 2019"),
                field("215", "a", "212 p."),
                field("225", "a", "Collection Repères", indicators="2 "),
                field(
                    "330",
                    "a",
                    "Formateurs et apprenants racontent comment s'apprend une langue "
                    "quand on la découvre après trente ans.",
                ),
                field("606", "a", "Apprentissage des langues"),
                field("700", "a", "Moreau", "b", "Claire", "4", "070", indicators=" 1"),
                field("702", "a", "Da Silva", "b", "João", "4", "440", indicators=" 1"),
            ],
        ),
        record(
            "PMB-103",
            "aa",
            "2022",
            [
                field("017", "a", "10.5555/ateliers.2022", "2", "doi", indicators="70"),
                field("101", "a", "fre", indicators="0 "),
                field(
                    "200",
                    "a",
                    "Les ateliers sociolinguistiques, une porte d'entrée vers l'emploi",
                    indicators="1 ",
                ),
                field("210", "d", "2022"),
                field("215", "a", "p. 12-18"),
                field(
                    "330",
                    "a",
                    "Retour sur deux ans d'ateliers où l'on apprend le vocabulaire du travail "
                    "en visitant des entreprises.",
                ),
                field("461", "t", "Hommes et territoires", "x", "1234-5679", "v", "n° 42"),
                field("700", "a", "Haddad", "b", "Samir", "4", "070", indicators=" 1"),
                field("856", "u", "https://doi.org/10.5555/ateliers.2022"),
            ],
        ),
        record(
            "PMB-104",
            "gm",
            "2020",
            [
                field("101", "a", "fre", indicators="0 "),
                field(
                    "200",
                    "a",
                    "Premiers pas à la préfecture",
                    "b",
                    "Vidéo",
                    "e",
                    "film documentaire",
                    indicators="1 ",
                ),
                field("210", "a", "Marseille", "c", "Ciné-Quartier", "d", "2020"),
                field("215", "a", "1 DVD (26 min)"),
                field(
                    "330",
                    "a",
                    "Trois personnes filmées le jour de leur premier rendez-vous au guichet "
                    "des titres de séjour.",
                ),
                field("700", "a", "Nguyen", "b", "Thomas", "4", "300", indicators=" 1"),
            ],
        ),
        record(
            "PMB-105",
            "am",
            "2022",
            [
                field("101", "a", "ukr", indicators="0 "),
                field(
                    "200",
                    "a",
                    "Доступ до медичної допомоги у Франції",
                    "e",
                    "практичний посібник",
                    indicators="1 ",
                ),
                field("210", "a", "Paris", "c", "Association Pont", "d", "2022"),
                field("215", "a", "48 p."),
                field(
                    "330",
                    "a",
                    "Як отримати медичне страхування та знайти лікаря: покрокові пояснення.",
                ),
                field("700", "a", "Коваленко", "b", "Олена", "4", "070", indicators=" 1"),
                field("900", "a", "Guide", "l", "Type de document", "n", "cp_typdoc"),
            ],
        ),
        record(
            "PMB-106",
            "am",
            "2021",
            [
                field("101", "a", "fre", indicators="0 "),
                field(
                    "200",
                    "a",
                    "Se loger en attendant le titre de séjour",
                    "e",
                    "repères pour les bénévoles",
                    indicators="1 ",
                ),
                field("210", "a", "Villeurbanne", "d", "2021"),
                field("215", "a", "32 p."),
                field(
                    "330",
                    "a",
                    "Les solutions d'hébergement possibles selon la situation administrative.",
                ),
                field("710", "a", "Centre ressources Intégration Rhône", indicators="02"),
            ],
        ),
    ]


def latin1_samples() -> list[Record]:
    return [
        record(
            "PMB-201",
            "am",
            "2018",
            [
                field("101", "a", "fre", indicators="0 "),
                field(
                    "200",
                    "a",
                    "Éducation populaire et français langue d'intégration",
                    indicators="1 ",
                ),
                field("210", "a", "Besançon", "c", "Éditions Coeur", "d", "2018"),
                field("330", "a", "Ce que les associations d'éducation populaire ont appris."),
                field("700", "a", "Lefèvre", "b", "Hélène", indicators=" 1"),
            ],
            charset="0103",
            utf8=False,
        ),
        record(
            "PMB-202",
            "am",
            "2021",
            [
                field("101", "a", "fre", indicators="0 "),
                field(
                    "200",
                    "a",
                    "Médiation numérique",
                    "e",
                    "l'accès aux droits à l'épreuve des démarches en ligne",
                    indicators="1 ",
                ),
                field("210", "a", "Nîmes", "d", "2021"),
                field(
                    "710", "a", "Maison des solidarités", "b", "Service accueil", indicators="02"
                ),
            ],
            charset="0103",
            utf8=False,
        ),
    ]


def main() -> None:
    records = samples()
    (HERE / "pmb-sample.mrc").write_bytes(b"".join(r.as_marc() for r in records))
    latin1 = latin1_samples()
    (HERE / "pmb-sample-latin1.mrc").write_bytes(b"".join(r.as_marc() for r in latin1))
    with open(HERE / "pmb-sample.xml", "wb") as out:
        writer = XMLWriter(out)
        for r in records:
            writer.write(r)
        writer.close(close_fh=False)
    sound, cut = records[0].as_marc(), records[1].as_marc()
    (HERE / "pmb-malformed.mrc").write_bytes(sound + cut[: len(cut) // 2])


if __name__ == "__main__":
    main()

"""manage.py import_notices: dry run by default, a line per record, nothing half-written."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from resources.models import Notice, NoticeStatus
from tests.practices.factories import member_centre

from .factories import make_notice

pytestmark = pytest.mark.django_db

RIS = """TY  - RPRT
M3  - Étude
TI  - Parcours d'apprentissage des langues
AU  - Moreau, Claire
AU  - Réseau des centres ressources
PY  - 2020
AB  - Une étude sur les parcours linguistiques des adultes.
KW  - Langue
SN  - 978-2-07-061275-8
ER  -

TY  - BOOK
TI  - Guide de l'hébergement
PY  - 2018///
ER  -
"""

BIBTEX = """@techreport{acces2021,
  title = {L'acc{\\`e}s aux droits en ligne},
  author = {Garcia, Lucie and {Collectif Droits}},
  type = {Rapport},
  year = {2021},
  doi = {10.5555/droits.2021},
  abstract = {Ce que change la d{\\'e}mat{\\'e}rialisation.}
}
@article{langues2022,
  title = {Les langues des familles},
  author = {Samir Haddad},
  journal = {Territoires},
  year = {2022},
  pages = {3--9}
}
"""


@pytest.fixture
def centre():
    return member_centre("Centre importateur", slug="centre-importateur")


def run(path, *args) -> str:
    out = StringIO()
    call_command("import_notices", str(path), "--centre", "centre-importateur", *args, stdout=out)
    return out.getvalue()


def write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def test_dry_run_reports_and_writes_nothing(tmp_path, centre):
    output = run(write(tmp_path, "export.ris", RIS))
    assert "acceptée notice 1 « Parcours d'apprentissage des langues »" in output
    assert "acceptée notice 2 « Guide de l'hébergement »" in output
    assert "Essai à blanc : rien n'a été écrit" in output
    assert not Notice.objects.exists()


def test_write_creates_drafts_with_authors_themes_and_identifiers(tmp_path, centre):
    output = run(write(tmp_path, "export.ris", RIS), "--write")
    assert "2 écrite(s) en brouillon" in output
    notice = Notice.objects.get(title="Parcours d'apprentissage des langues")
    assert notice.status == NoticeStatus.DRAFT and notice.author_centre == centre
    assert notice.type == "study" and notice.year == 2020 and notice.isbn == "9782070612758"
    assert [(a.kind, a.name) for a in notice.authors.all()] == [
        ("person", "Moreau, Claire"),
        ("organisation", "Réseau des centres ressources"),
    ]
    assert [t.slug for t in notice.themes.all()] == ["langue"]
    assert Notice.objects.get(title="Guide de l'hébergement").year == 2018


def test_bibtex_import(tmp_path, centre):
    run(write(tmp_path, "export.bib", BIBTEX), "--write")
    first = Notice.objects.get(doi="10.5555/droits.2021")
    assert first.title == "L'accès aux droits en ligne"
    assert first.abstract == "Ce que change la dématérialisation."
    assert first.type == "report"
    second = Notice.objects.get(title="Les langues des familles")
    assert (second.type, second.container_title, second.pages) == ("article", "Territoires", "3-9")
    assert second.authors_text == "Haddad, Samir"


def test_a_rejected_record_stops_the_whole_file_unless_partial(tmp_path, centre):
    make_notice("Guide de l'hébergement", year=2018, author_centre=centre)
    bad = RIS.replace("978-2-07-061275-8", "978-2-07-061275-9")
    path = write(tmp_path, "export.ris", bad)
    with pytest.raises(CommandError, match="des notices sont rejetées"):
        run(path, "--write")
    assert Notice.objects.count() == 1
    output = run(path)
    assert "rejetée  notice 1" in output and "n'est pas un ISBN valide" in output
    assert "rejetée  notice 2 « Guide de l'hébergement » : déjà dans la base" in output
    fixed = write(tmp_path, "fixed.ris", RIS)
    output = run(fixed, "--write", "--accept-partial")
    assert "1 notice(s) acceptée(s), 1 rejetée(s). 1 écrite(s)" in output
    assert Notice.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("vide.ris", "", "le fichier est vide"),
        ("latin1.ris", "TY  - BOOK\nTI  - Acc\xe8s\nER  - \n".encode("latin-1"), "pas en UTF-8"),
        ("pas-ris.ris", "Bonjour, ceci est une lettre.", "ce n'est pas un fichier RIS lisible"),
        ("pas-bib.bib", "rien de bibliographique", "ce n'est pas un fichier BIBTEX lisible"),
        ("inconnu.txt", "TY  - BOOK\n", "précisez --format"),
    ],
)
def test_unreadable_files_write_nothing(tmp_path, centre, name, content, message):
    with pytest.raises(CommandError, match=message):
        run(write(tmp_path, name, content), "--write")
    assert not Notice.objects.exists()


def test_a_damaged_bibtex_block_is_reported_and_nothing_written(tmp_path, centre):
    damaged = BIBTEX + "\n@book{casse, title = {Sans fin\n"
    with pytest.raises(CommandError):
        run(write(tmp_path, "export.bib", damaged), "--write")
    assert not Notice.objects.exists()
    assert "bloc illisible à la ligne" in run(write(tmp_path, "export.bib", damaged))


def test_unknown_centre(tmp_path):
    with pytest.raises(CommandError, match="Centre ressources inconnu"):
        run(write(tmp_path, "export.ris", RIS))

"""A notice's own rules: abstract to publish (model and database), dates, identifiers, PDF."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from resources.models import Notice, NoticeStatus

from .factories import make_notice

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def test_a_notice_without_abstract_cannot_be_published():
    notice = make_notice("Rapport sans résumé", status=NoticeStatus.DRAFT, abstract="x")
    notice.abstract = "   "
    notice.status = NoticeStatus.PUBLISHED
    with pytest.raises(ValidationError) as error:
        notice.full_clean()
    assert (
        "Le résumé est obligatoire pour publier une notice." in error.value.message_dict["abstract"]
    )
    # A draft needs none.
    notice.status = NoticeStatus.DRAFT
    notice.full_clean()


def test_the_database_refuses_a_published_notice_without_abstract():
    notice = make_notice("Étude publiée")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.filter(pk=notice.pk).update(abstract="")
    draft = make_notice("Brouillon", status=NoticeStatus.DRAFT)
    Notice.objects.filter(pk=draft.pk).update(abstract="")  # a draft may have none
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.filter(pk=draft.pk).update(status=NoticeStatus.PUBLISHED)


@pytest.mark.parametrize(
    ("year", "month", "day", "field"),
    [
        (None, 3, None, "month"),
        (2020, 13, None, "month"),
        (2021, 2, 29, "day"),
        (2020, None, 4, "day"),
        (1700, None, None, "year"),
    ],
)
def test_partial_dates_must_make_sense(year, month, day, field):
    notice = make_notice("Daté", year=2020)
    notice.year, notice.month, notice.day = year, month, day
    with pytest.raises(ValidationError) as error:
        notice.full_clean()
    assert field in error.value.message_dict


def test_a_year_alone_or_a_full_date_is_accepted():
    assert make_notice("Année seule", year=2019).date_parts == [2019]
    assert make_notice("Date complète", year=2020, month=2, day=29).date_parts == [2020, 2, 29]


def test_identifiers_are_checked_and_written_one_way():
    notice = make_notice(
        "Ouvrage", isbn="978-2-07-061275-8", issn="0395-2037", doi="https://doi.org/10.1234/ab.c"
    )
    assert (notice.isbn, notice.issn, notice.doi) == ("9782070612758", "0395-2037", "10.1234/ab.c")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("isbn", "978-2-07-061275-9", "n'est pas un ISBN valide"),
        ("issn", "0395-2038", "n'est pas un ISSN valide"),
        ("doi", "doi:11.12/x", "n'est pas un DOI valide"),
    ],
)
def test_a_wrong_check_digit_is_refused_in_french(field, value, message):
    notice = make_notice("Identifiants")
    setattr(notice, field, value)
    with pytest.raises(ValidationError) as error:
        notice.full_clean()
    assert message in error.value.message_dict[field][0]


def test_a_pdf_is_accepted_and_stored(settings):
    notice = make_notice("Avec document")
    notice.file = SimpleUploadedFile("rapport.pdf", PDF, content_type="application/pdf")
    notice.full_clean()
    notice.save()
    assert (settings.RESOURCES_FILES_ROOT / notice.file.name).read_bytes() == PDF


def test_a_replaced_or_deleted_pdf_leaves_the_disk(settings, django_capture_on_commit_callbacks):
    root = settings.RESOURCES_FILES_ROOT
    notice = make_notice("Document remplacé")
    notice.file = SimpleUploadedFile("v1.pdf", PDF, content_type="application/pdf")
    notice.save()
    first = root / notice.file.name
    with django_capture_on_commit_callbacks(execute=True):
        notice.title = "Document remplacé (titre)"
        notice.save()  # the same file: kept
    assert first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        notice.file = SimpleUploadedFile("v2.pdf", PDF + b"%v2", content_type="application/pdf")
        notice.save()
    second = root / notice.file.name
    assert second.read_bytes() == PDF + b"%v2"
    assert not first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        Notice.objects.get(pk=notice.pk).delete()
    assert not second.exists()


def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name():
    notice = make_notice("Faux PDF")
    notice.file = SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(ValidationError) as error:
        notice.full_clean()
    assert error.value.message_dict["file"] == [
        "Seuls les documents PDF sont acceptés : ce fichier n'en est pas un."
    ]


def test_a_pdf_over_the_size_limit_is_refused(settings):
    settings.RESOURCES_MAX_FILE_MB = 1
    notice = make_notice("Gros PDF")
    notice.file = SimpleUploadedFile("gros.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")
    with pytest.raises(ValidationError) as error:
        notice.full_clean()
    assert "la limite est de 1 Mo" in error.value.message_dict["file"][0]


def test_lendable_needs_a_holding_centre():
    notice = make_notice("Prêt")
    notice.lendable = True
    with pytest.raises(ValidationError) as error:
        notice.full_clean()
    assert "lendable" in error.value.message_dict
    notice.holding_centre = notice.author_centre
    notice.full_clean()


def test_authors_are_kept_in_order_and_searched_text_follows():
    notice = make_notice(
        "Auteurs", authors=[("person", "Zola, Émile"), ("organisation", "Centre ressources")]
    )
    assert [a.name for a in notice.authors.all()] == ["Zola, Émile", "Centre ressources"]
    assert notice.authors_text == "Zola, Émile; Centre ressources"


@pytest.mark.parametrize("title", ["Veille", "Bibliographies", "Demandes"])
def test_a_notice_never_takes_the_name_of_a_fixed_page(client, title):
    notice = make_notice(title)
    assert notice.slug == f"{title.lower()}-2"
    assert client.get(notice.get_absolute_url()).context["notice"] == notice
    notice.slug = "veille"
    with pytest.raises(ValidationError) as error:
        notice.full_clean()
    assert "adresse d'une page du site" in str(error.value)

"""Attached documents: PDF only (read from the file's first bytes, not its name), size-limited,
kept in their own storage (RESOURCES_FILES_ROOT) and served by the notice's download view,
which only hands out the files of published notices."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

PDF_SIGNATURE = b"%PDF-"
# Some producers put a few bytes before the signature; readers accept it within the first 1 KB.
SIGNATURE_WINDOW = 1024


@deconstructible
class NoticeFileStorage(FileSystemStorage):
    """The setting is read when first used, so tests can point it elsewhere."""

    def __init__(self):
        super().__init__()

    @property
    def base_location(self):
        return str(settings.RESOURCES_FILES_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def notice_storage() -> NoticeFileStorage:
    return NoticeFileStorage()


def max_bytes() -> int:
    return settings.RESOURCES_MAX_FILE_MB * 1024 * 1024


def validate_pdf(upload) -> None:
    """A PDF under the size limit, or a French message saying what is wrong."""
    if not upload or getattr(upload, "_committed", False):
        return  # nothing attached, or the file already stored (checked when it came in)
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes():
        raise ValidationError(
            _("Le fichier pèse %(size).1f Mo ; la limite est de %(max)d Mo.")
            % {"size": size / 1024 / 1024, "max": settings.RESOURCES_MAX_FILE_MB},
            code="file_size",
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        head = upload.read(SIGNATURE_WINDOW)
    except (OSError, ValueError):
        raise ValidationError(_("Le fichier n'a pas pu être lu."), code="file_read") from None
    finally:
        try:
            upload.seek(position)
        except (OSError, ValueError):
            pass
    if isinstance(head, str):
        head = head.encode("latin-1", "replace")
    if PDF_SIGNATURE not in head:
        raise ValidationError(
            _("Seuls les documents PDF sont acceptés : ce fichier n'en est pas un."),
            code="file_type",
        )


# A replaced or deleted document leaves the disk once the change is committed (a rolled-back
# change keeps it). History rows keep the old name: a restored version has no file.


@receiver(pre_save, sender="resources.Notice")
def _remember_stored_file(sender, instance, **kwargs) -> None:
    previous = ""
    if instance.pk is not None:
        previous = sender._default_manager.filter(pk=instance.pk).values_list("file", flat=True)
        previous = previous.first() or ""
    instance._stored_file = previous


def _delete_later(name: str) -> None:
    if name:
        transaction.on_commit(lambda: notice_storage().delete(name))


@receiver(post_save, sender="resources.Notice")
def _drop_replaced_file(sender, instance, **kwargs) -> None:
    previous = getattr(instance, "_stored_file", "")
    if previous and previous != (instance.file.name or ""):
        _delete_later(previous)
    instance._stored_file = instance.file.name or ""


@receiver(post_delete, sender="resources.Notice")
def _drop_deleted_file(sender, instance, **kwargs) -> None:
    _delete_later(instance.file.name or "")

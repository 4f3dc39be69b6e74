"""The shared kernel's one table: edits of published entries held for review (core/review.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class HeldStatus(models.TextChoices):
    PENDING = "pending", _("à relire")
    ACCEPTED = "accepted", _("acceptée")
    REFUSED = "refused", _("refusée")


class HeldChange(models.Model):
    """An editor's change to a published entry, kept aside until a moderator accepts it:
    the live entry stays as it was. `values` holds the changed fields (JSON, by field name),
    `relations` the chosen ids of the changed many-to-many fields."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("type de fiche"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("identifiant de la fiche"))
    label = models.CharField(_("fiche"), max_length=250)
    values = models.JSONField(_("champs modifiés"), default=dict)
    relations = models.JSONField(_("liens modifiés"), default=dict)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposée par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)
    status = models.CharField(
        _("état"), max_length=10, choices=HeldStatus.choices, default=HeldStatus.PENDING
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("relue par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("relue le"), null=True, blank=True)

    class Meta:
        verbose_name = _("modification à relire")
        verbose_name_plural = _("modifications à relire")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "status"], name="heldchange_object_idx"
            )
        ]

    def __str__(self) -> str:
        return self.label


# The usage counting tables live with their code (core/usage/); imported here so that they
# belong to core's migrations.
from core.usage.models import UsageCounter, UsageSalt, UsageVisitor  # noqa: E402, F401

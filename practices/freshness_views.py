"""The one-click « toujours en cours » link of the freshness reminders (reminders.py).

No login: the signed link names the sheet and the editor it was sent to. GET shows
what it would do, POST does it (core/one_click.py).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.dates import add_months
from core.one_click import invalid_link_page, one_click_page
from core.signing import InvalidLink

from .models import SheetStatus
from .reminders import CHANGE_REASON, RevokedLink, read_confirm_link
from .services import sheet_confirm_running


@require_http_methods(["GET", "HEAD", "POST"])
def confirm_running(request: HttpRequest, token: str) -> HttpResponse:
    try:
        sheet, user = read_confirm_link(token)
    except InvalidLink as error:
        return invalid_link_page(request, error, revoked=isinstance(error, RevokedLink))
    page = sheet.get_absolute_url() if sheet.status == SheetStatus.PUBLISHED else ""
    today = timezone.localdate()
    next_time = date_format(add_months(today, settings.PRACTICE_REVIEW_MONTHS), "F Y")
    if request.method == "POST":
        sheet_confirm_running(sheet=sheet, user=user, reason=CHANGE_REASON, today=today)
        return one_click_page(
            request,
            state="done",
            heading=_("Merci, c'est noté"),
            lines=[
                _(
                    "« %(title)s » est confirmée toujours en cours au %(date)s. La question "
                    "reviendra en %(next)s."
                )
                % {"title": sheet.title, "date": date_format(today, "j F Y"), "next": next_time}
            ],
            links=[(page, _("Voir la fiche"))],
        )
    if sheet.review_date is None:
        known = _("Personne n'a encore confirmé qu'elle est toujours en cours.")
    else:
        known = _("Elle a été confirmée toujours en cours le %(date)s.") % {
            "date": date_format(sheet.review_date, "j F Y")
        }
    return one_click_page(
        request,
        state="confirm",
        heading=_("« %(title)s » : toujours en cours ?") % {"title": sheet.title},
        lines=[
            known,
            _(
                "Si la pratique existe toujours, confirmez-le ; la question reviendra en "
                "%(next)s. Si elle s'est arrêtée, indiquez sa date de fin dans "
                "l'administration."
            )
            % {"next": next_time},
        ],
        button_label=_("Oui, toujours en cours"),
        links=[
            (page, _("Voir la fiche publique")),
            (
                reverse("admin:practices_practicesheet_change", args=[sheet.pk]),
                _("Indiquer sa date de fin"),
            ),
        ],
    )

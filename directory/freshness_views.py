"""The one-click « toujours exact » link of the freshness reminders (reminders.py).

No login: the signed link names the place and the editor it was sent to. GET shows
what it would do, POST does it (core/one_click.py).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.one_click import invalid_link_page, one_click_page
from core.signing import InvalidLink

from .models import Status
from .reminders import CHANGE_REASON, RevokedLink, read_confirm_link
from .services import place_confirm_verified


@require_http_methods(["GET", "HEAD", "POST"])
def confirm_place(request: HttpRequest, token: str) -> HttpResponse:
    try:
        place, user = read_confirm_link(token)
    except InvalidLink as error:
        return invalid_link_page(request, error, revoked=isinstance(error, RevokedLink))
    page = place.get_absolute_url() if place.status == Status.PUBLISHED else ""
    if request.method == "POST":
        place_confirm_verified(place=place, user=user, reason=CHANGE_REASON)
        return one_click_page(
            request,
            state="done",
            heading=_("Merci, c'est noté"),
            lines=[
                _("Les informations de « %(name)s » sont confirmées au %(date)s.")
                % {"name": place.name, "date": date_format(place.last_verified, "j F Y")}
            ],
            links=[(page, _("Voir la page du lieu"))],
        )
    if place.last_verified is None:
        known = _("Ses informations n'ont jamais été confirmées.")
    else:
        known = _("Ses informations ont été confirmées pour la dernière fois le %(date)s.") % {
            "date": date_format(place.last_verified, "j F Y")
        }
    return one_click_page(
        request,
        state="confirm",
        heading=_("« %(name)s » : informations toujours exactes ?") % {"name": place.name},
        lines=[
            known,
            _(
                "Si l'adresse, les horaires, les contacts et les services décrits sont "
                "toujours exacts, confirmez-le : la date de vérification devient celle "
                "d'aujourd'hui (%(date)s). Sinon, corrigez le lieu dans l'administration."
            )
            % {"date": date_format(timezone.localdate(), "j F Y")},
        ],
        button_label=_("Oui, toujours exact"),
        links=[
            (page, _("Voir la page publique du lieu")),
            (reverse("admin:directory_place_change", args=[place.pk]), _("Corriger le lieu")),
        ],
    )

"""Stale published places, as reminders for their organisations' editors (core/reminders.py).

Each editor with an e-mail address gets, per place, a signed one-click link
(core/signing.py) confirming that its information is still accurate: the link
names the place and her, and works while she still edits for its organisation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import F
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from core.reminders import Recipient, Reminder, Topic
from core.signing import InvalidLink, absolute_url, read_link, sign_link

from .admin_freshness import stale_changelist_url
from .freshness import freshness_months, stale_published_places
from .models import Organisation, Place

LINK_SALT = "reperes.freshness.place-still-accurate"
# Kept in the place's history as written (data, not an interface text).
CHANGE_REASON = "Confirmé par lien de rappel"
# A long-forgotten organisation gets its oldest places first, and a link to the rest.
MAX_PLACES_PER_ORGANISATION = 50


class RevokedLink(InvalidLink):
    """Validly signed, but the place is gone or she no longer edits for its organisation."""


def confirm_url(place: Place, user_id: int) -> str:
    token = sign_link(salt=LINK_SALT, object_id=place.pk, user_id=user_id)
    return absolute_url(reverse("directory:confirm-place", kwargs={"token": token}))


def read_confirm_link(token: str) -> tuple[Place, object]:
    """The place and the editor a link was sent to; InvalidLink (or RevokedLink) otherwise."""
    payload = read_link(token, salt=LINK_SALT)
    place = Place.objects.select_related("organisation").filter(pk=payload.object_id).first()
    user = get_user_model().objects.filter(pk=payload.user_id, is_active=True).first()
    if place is None or user is None or not place.organisation.editors.filter(pk=user.pk).exists():
        raise RevokedLink()
    return place, user


def editor_recipients(organisation_ids: Iterable[int]) -> dict[int, list[Recipient]]:
    """The active editors with an e-mail address of each organisation."""
    links = (
        Organisation.editors.through.objects.filter(
            organisation_id__in=list(organisation_ids), user__is_active=True
        )
        .exclude(user__email="")
        .values_list(
            "organisation_id",
            "user_id",
            "user__email",
            "user__first_name",
            "user__last_name",
            "user__username",
        )
        .order_by("organisation_id", "user__email")
    )
    found: dict[int, list[Recipient]] = defaultdict(list)
    for organisation_id, user_id, email, first, last, username in links:
        name = f"{first} {last}".strip() or username
        found[organisation_id].append(Recipient(user_id=user_id, email=email, name=name))
    return found


def state(place: Place) -> str:
    if place.last_verified is None:
        return gettext("jamais vérifiées")
    return gettext("vérifiées le %(date)s") % {"date": date_format(place.last_verified, "j F Y")}


def reminders(*, today: date) -> list[Reminder]:
    places = (
        stale_published_places(today)
        .select_related("organisation")
        .only("pk", "name", "slug", "last_verified", "organisation", "organisation__name")
        .order_by(
            "organisation__name",
            "organisation_id",
            F("last_verified").asc(nulls_first=True),
            "name",
            "pk",
        )
    )
    by_organisation: dict[int, list[Place]] = defaultdict(list)
    for place in places.iterator(chunk_size=2000):
        by_organisation[place.organisation_id].append(place)
    editors = editor_recipients(by_organisation)
    months = freshness_months()
    found: list[Reminder] = []
    for organisation_id, stale in by_organisation.items():
        organisation = stale[0].organisation
        shown = stale[:MAX_PLACES_PER_ORGANISATION]
        question = ngettext(
            "Informations non confirmées depuis plus de %(months)d mois : sont-elles toujours "
            "exactes ?",
            "Informations non confirmées depuis plus de %(months)d mois : sont-elles toujours "
            "exactes ?",
            months,
        ) % {"months": months}
        if len(stale) > len(shown):
            question += " " + gettext(
                "Voici les %(shown)d plus anciennes sur %(total)d ; toutes : %(url)s"
            ) % {
                "shown": len(shown),
                "total": len(stale),
                "url": absolute_url(stale_changelist_url(organisation__id__exact=organisation_id)),
            }
        topic = Topic(
            heading=gettext("Lieux de l'organisation « %(organisation)s »")
            % {"organisation": organisation.name},
            question=question,
        )
        for recipient in editors.get(organisation_id, []):
            for place in shown:
                found.append(
                    Reminder(
                        recipient=recipient,
                        topic=topic,
                        title=place.name,
                        state=state(place),
                        page_url=absolute_url(place.get_absolute_url()),
                        confirm_url=confirm_url(place, recipient.user_id),
                        confirm_label=gettext("Toujours exact, en un clic"),
                        edit_url=absolute_url(
                            reverse("admin:directory_place_change", args=[place.pk])
                        ),
                    )
                )
    return found

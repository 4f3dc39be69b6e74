"""Practice sheets whose « toujours en cours ? » is due, as reminders for their author
centre's editors (core/reminders.py).

The link confirms that the practice still runs: `review_date` becomes today
(services.sheet_confirm_running), so it is asked again PRACTICE_REVIEW_MONTHS later.
It works while its recipient still edits for the author centre, a member centre.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from core.reminders import Reminder, Topic
from core.signing import InvalidLink, absolute_url, read_link, sign_link
from directory.models import Organisation
from directory.reminders import editor_recipients

from .models import PracticeSheet
from .selectors import sheets_due_for_review

LINK_SALT = "reperes.freshness.sheet-still-running"
# Kept in the sheet's history as written (data, not an interface text).
CHANGE_REASON = "Confirmé par lien de rappel : toujours en cours"


class RevokedLink(InvalidLink):
    """Validly signed, but the sheet is gone or she no longer edits for its author centre."""


def confirm_url(sheet: PracticeSheet, user_id: int) -> str:
    token = sign_link(salt=LINK_SALT, object_id=sheet.pk, user_id=user_id)
    return absolute_url(reverse("practices:confirm-running", kwargs={"token": token}))


def read_confirm_link(token: str) -> tuple[PracticeSheet, object]:
    """The sheet and the editor a link was sent to; InvalidLink (or RevokedLink) otherwise."""
    payload = read_link(token, salt=LINK_SALT)
    sheet = PracticeSheet.objects.filter(pk=payload.object_id).first()
    user = get_user_model().objects.filter(pk=payload.user_id, is_active=True).first()
    if (
        sheet is None
        or user is None
        or not Organisation.objects.filter(
            pk=sheet.author_centre_id, is_member_centre=True, editors=user
        ).exists()
    ):
        raise RevokedLink()
    return sheet, user


def state(sheet: PracticeSheet) -> str:
    if sheet.review_date is None:
        return gettext("jamais vérifié depuis la rédaction")
    return gettext("vérifié le %(date)s") % {"date": date_format(sheet.review_date, "j F Y")}


def reminders(*, today: date) -> list[Reminder]:
    sheets = (
        sheets_due_for_review(today)
        .filter(author_centre__is_member_centre=True)
        .select_related("author_centre")
        .order_by("author_centre__name", "author_centre_id", "title", "pk")
    )
    by_centre: dict[int, list[PracticeSheet]] = defaultdict(list)
    for sheet in sheets:
        by_centre[sheet.author_centre_id].append(sheet)
    editors = editor_recipients(by_centre)
    months = settings.PRACTICE_REVIEW_MONTHS
    question = ngettext(
        "Pratiques publiées sans confirmation depuis plus de %(months)d mois : sont-elles "
        "toujours en cours ?",
        "Pratiques publiées sans confirmation depuis plus de %(months)d mois : sont-elles "
        "toujours en cours ?",
        months,
    ) % {"months": months}
    found: list[Reminder] = []
    for centre_id, due in by_centre.items():
        topic = Topic(
            heading=gettext("Fiches pratiques du centre « %(centre)s »")
            % {"centre": due[0].author_centre.name},
            question=question,
        )
        for recipient in editors.get(centre_id, []):
            for sheet in due:
                found.append(
                    Reminder(
                        recipient=recipient,
                        topic=topic,
                        title=sheet.title,
                        state=state(sheet),
                        page_url=absolute_url(sheet.get_absolute_url()),
                        confirm_url=confirm_url(sheet, recipient.user_id),
                        confirm_label=gettext("Toujours en cours, en un clic"),
                        edit_url=absolute_url(
                            reverse("admin:practices_practicesheet_change", args=[sheet.pk])
                        ),
                    )
                )
    return found

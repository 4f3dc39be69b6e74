"""Opening hours: read from the OpenStreetMap syntax, told in words, laid out by week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import opening_hours
from django.utils import formats, timezone
from django.utils.translation import gettext as _

WEEKS_CHECKED = 53  # a year and a bit: every public holiday and month rule shows up


def parse(text: str) -> opening_hours.OpeningHours:
    """Opening hours read the one way the project reads them (pages, API, exports, validation).

    French public holidays are loaded, so that "PH off" closes a place on 14 July.
    Raises opening_hours.ParserError or ValueError on a text it cannot read.
    """
    return opening_hours.OpeningHours(text, country="FR")


@dataclass
class HoursStatus:
    is_open: bool
    text: str


def _local_naive(at: datetime | None) -> datetime:
    return timezone.localtime(at or timezone.now()).replace(tzinfo=None)


def _when(moment: datetime, now: datetime) -> str:
    time = moment.strftime("%H:%M")
    if moment.date() == now.date():
        return _("à %(time)s") % {"time": time}
    if moment.date() == now.date() + timedelta(days=1):
        return _("demain à %(time)s") % {"time": time}
    return _("%(day)s à %(time)s") % {"day": formats.date_format(moment, "l"), "time": time}


def status(hours: opening_hours.OpeningHours | None, at: datetime | None = None) -> HoursStatus:
    if hours is None:
        return HoursStatus(False, _("Horaires non renseignés"))
    now = _local_naive(at)
    try:
        is_open = hours.is_open(now)
        change = hours.next_change(now)
    except (ValueError, OverflowError):
        return HoursStatus(False, _("Horaires non renseignés"))
    if is_open:
        text = (
            _("Ouvert maintenant — ferme %(when)s") % {"when": _when(change, now)}
            if change
            else _("Ouvert maintenant")
        )
    elif change and change - now < timedelta(days=8):
        text = _("Fermé — ouvre %(when)s") % {"when": _when(change, now)}
    else:
        text = _("Fermé")
    return HoursStatus(is_open, text)


def week(
    hours: opening_hours.OpeningHours | None, start: date | None = None
) -> list[tuple[str, str]]:
    """[(day name, "09:00–12:00, 14:00–17:00" or "fermé")] for the seven days from Monday."""
    if hours is None:
        return []
    today = start or timezone.localdate()
    monday = datetime.combine(today - timedelta(days=today.weekday()), datetime.min.time())
    days = []
    for offset in range(7):
        begin = monday + timedelta(days=offset)
        spans = [
            f"{a.strftime('%H:%M')}–{'24:00' if b == begin + timedelta(days=1) else b.strftime('%H:%M')}"
            for a, b, state, _comment in hours.intervals(begin, begin + timedelta(days=1))
            if state == opening_hours.State.OPEN
        ]
        days.append((formats.date_format(begin, "l").capitalize(), ", ".join(spans) or _("fermé")))
    return days


def repeating_week(
    hours: opening_hours.OpeningHours, start: date
) -> tuple[tuple[tuple[str, str], ...], ...] | None:
    """(("09:00", "12:00"), …) for each day from Monday, if every week of the coming year is alike.

    None where no single week tells the whole truth: weeks that differ (public
    holidays, months, week numbers), an open span with a comment or an unknown
    state, a span past midnight, or a place never open.
    """
    monday = datetime.combine(start - timedelta(days=start.weekday()), datetime.min.time())
    weeks = [[[] for _day in range(7)] for _week in range(WEEKS_CHECKED)]
    try:
        intervals = list(hours.intervals(monday, monday + timedelta(weeks=WEEKS_CHECKED)))
    except (ValueError, OverflowError):
        return None
    for begin, end, state, comment in intervals:
        if state == opening_hours.State.CLOSED:
            continue
        if state != opening_hours.State.OPEN or comment or end.date() != begin.date():
            return None
        week = (begin - monday).days // 7
        weeks[week][begin.weekday()].append((begin.strftime("%H:%M"), end.strftime("%H:%M")))
    first = weeks[0]
    if any(week != first for week in weeks) or not any(first):
        return None
    return tuple(tuple(spans) for spans in first)

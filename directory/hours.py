"""Opening hours: read from the OpenStreetMap syntax, told in words, laid out by week.

Evaluation is bounded. opening-hours-py's `next_change()` walks forward until the state
changes: on hours that never change ("Mo-Su 00:00-24:00", or the absurd "Mo-Su
00:00-48:00") it walked for 0.6 to 2.4 s of CPU per call, and a search page evaluates one
per place. Here the state and its next change come from `intervals()` over a window of
STATUS_HORIZON (what the page says is "opens Tuesday at 9:00" within a week, no further),
reading at most MAX_INTERVALS intervals, and each (text, minute) is evaluated once
(`evaluate`, cached): places share a few hundred texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import opening_hours
from django.utils import formats, timezone
from django.utils.translation import gettext as _

WEEKS_CHECKED = 53  # a year and a bit: every public holiday and month rule shows up
STATUS_HORIZON = timedelta(days=8)  # "opens <weekday> at …" is told within a week
MAX_INTERVALS = 64  # intervals read to find the next change (a few per day at most)
MAX_SPAN = 24 * 60  # minutes: the longest time span one rule may give

# "HH:MM-HH:MM" time spans, outside the "comments" where any text may be written.
_SPAN = re.compile(r"\b(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")
_COMMENT = re.compile(r'"[^"]*"')


class AbsurdSpan(ValueError):
    """A time span the OSM grammar accepts but no opening time means ("00:00-48:00")."""

    def __init__(self, span: str):
        self.span = span
        super().__init__(span)


def check_spans(text: str) -> None:
    """Raise AbsurdSpan for a time span longer than 24 hours or starting past 24:00.

    OpenStreetMap's grammar lets a span end up to 48:00, so that a night can be written
    "Fr 22:00-26:00" (or "Fr 22:00-02:00"): both are kept, as is "00:00-24:00". What is
    refused: a span that starts after 24:00 ("25:00-26:00") or lasts more than 24 hours
    ("Mo-Su 00:00-48:00", "08:00-40:00"), which say nothing a shorter span would not,
    and which made the library's evaluation walk for seconds.
    """
    for match in _SPAN.finditer(_COMMENT.sub("", text)):
        start = int(match[1]) * 60 + int(match[2])
        end = int(match[3]) * 60 + int(match[4])
        if start > 24 * 60 or (end > start and end - start > MAX_SPAN):
            raise AbsurdSpan(match[0])


@lru_cache(maxsize=2048)
def parse(text: str) -> opening_hours.OpeningHours:
    """Opening hours read the one way the project reads them (pages, API, exports, validation).

    French public holidays are loaded, so that "PH off" closes a place on 14 July.
    Raises opening_hours.ParserError or ValueError on a text it cannot read, AbsurdSpan (a
    ValueError) on a span no opening time means (`check_spans`). Cached: an OpeningHours is
    immutable, and places share their texts.
    """
    check_spans(text)
    return opening_hours.OpeningHours(text, country="FR")


@dataclass(frozen=True)
class Evaluation:
    """The state at a moment and when it next changes (None: not within STATUS_HORIZON)."""

    is_open: bool
    change: datetime | None


def _walk(hours: opening_hours.OpeningHours, now: datetime) -> Evaluation:
    """The state at `now` and its next change, from at most MAX_INTERVALS intervals of
    the window [now, now + STATUS_HORIZON]: bounded whatever the text."""
    is_open: bool | None = None
    for count, (start, _end, state, _comment) in enumerate(
        hours.intervals(now, now + STATUS_HORIZON)
    ):
        opened = state == opening_hours.State.OPEN
        if is_open is None:
            is_open = opened
        elif opened != is_open:
            return Evaluation(is_open, start)
        if count >= MAX_INTERVALS:
            break
    return Evaluation(bool(is_open), None)


@lru_cache(maxsize=4096)
def evaluate(hours: opening_hours.OpeningHours, minute: datetime) -> Evaluation:
    """`_walk` once per parsed text (parse() gives one object per text) and minute."""
    return _walk(hours, minute)


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
    now = _local_naive(at).replace(second=0, microsecond=0)
    try:
        evaluation = evaluate(hours, now)
    except (ValueError, OverflowError):
        return HoursStatus(False, _("Horaires non renseignés"))
    is_open, change = evaluation.is_open, evaluation.change
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

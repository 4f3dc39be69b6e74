"""Opening hours: absurd spans refused, evaluation bounded and cached (pages never stall)."""

from datetime import datetime

import opening_hours
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from directory import hours
from directory.models import Place
from directory.validators import validate_opening_hours
from tests.factories import PlaceFactory

ABSURD = "Mo-Su 00:00-48:00"


@pytest.fixture(autouse=True)
def _fresh_caches():
    hours.parse.cache_clear()
    hours.evaluate.cache_clear()


@pytest.mark.parametrize("text", [ABSURD, "Mo-Fr 08:00-40:00", "Sa 25:00-26:00"])
def test_absurd_spans_are_refused_with_a_clear_message(text):
    with pytest.raises(ValidationError) as refused:
        validate_opening_hours(text)

    message = refused.value.messages[0]
    assert message.startswith("Plage horaire impossible « ")
    assert "dure au plus 24 heures" in message and "24/7" in message


@pytest.mark.parametrize(
    "text",
    [
        "Mo-Su 00:00-24:00",
        "24/7",
        "Fr 22:00-26:00",  # a night written the OSM way, past 24:00
        "Fr 22:00-02:00",
        "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
        'Mo-Fr 09:00-12:00 "sauf 10:00-50:00 en août"',  # a comment says what it likes
    ],
)
def test_spans_that_osm_means_are_kept(text):
    validate_opening_hours(text)


def test_place_with_absurd_hours_is_refused_by_full_clean(db):
    place = PlaceFactory(opening_hours="Mo-Fr 09:00-12:00")
    place.opening_hours = ABSURD

    with pytest.raises(ValidationError) as refused:
        place.full_clean()

    assert "Plage horaire impossible" in refused.value.message_dict["opening_hours"][0]


class _Recorder:
    """Stands for an OpeningHours: records the windows asked, has no next_change()."""

    def __init__(self, states):
        self.windows = []
        self.states = states

    def intervals(self, start, end):
        self.windows.append((start, end))
        moment = start
        for state in self.states:
            following = min(moment.replace(hour=0) + (end - start) / 8, end)
            yield moment, following, state, ""
            moment = following


def test_status_reads_a_bounded_window_and_never_walks_unbounded():
    always = _Recorder([opening_hours.State.OPEN] * 1000)  # never changes
    at = timezone.make_aware(datetime(2026, 12, 1, 10, 0))

    text = hours.status(always, at).text

    assert text == "Ouvert maintenant"
    ((start, end),) = always.windows
    assert end - start == hours.STATUS_HORIZON


def test_never_changing_hours_are_told_without_a_next_change():
    at = timezone.make_aware(datetime(2026, 12, 1, 10, 0))  # a Tuesday, 10:00
    assert hours.status(hours.parse("Mo-Su 00:00-24:00"), at).text == "Ouvert maintenant"
    assert hours.status(hours.parse("Mo-Fr 09:00-12:00"), at).text.endswith("ferme à 12:00")
    closed = hours.status(hours.parse("We 14:00-16:00"), at)
    assert closed.text == "Fermé — ouvre demain à 14:00" and not closed.is_open
    assert hours.status(hours.parse("Jan 10:00-12:00"), at).text == "Fermé"  # past a week


@pytest.fixture
def counted_walks(monkeypatch):
    """The evaluations actually run (the cached ones are not)."""
    walked = []
    real = hours._walk

    def walk(parsed, now):
        walked.append(str(parsed))
        return real(parsed, now)

    monkeypatch.setattr(hours, "_walk", walk)
    return walked


def test_stored_absurd_hours_do_not_stall_the_search_page(client, db, counted_walks):
    stored = [PlaceFactory(name=f"Lieu absurde {i}", opening_hours="24/7") for i in range(3)]
    always = [
        PlaceFactory(name=f"Lieu ouvert {i}", opening_hours="Mo-Su 00:00-24:00") for i in range(3)
    ]
    # Written before the rule, past the validators.
    Place.objects.filter(pk__in=[p.pk for p in stored]).update(opening_hours=ABSURD)

    response = client.get(reverse("directory:search"), {"region": "84"})

    assert response.status_code == 200
    statuses = {p.name: p.hours_status.text for p in response.context["results"]}
    assert {statuses[p.name] for p in stored} == {"Horaires non renseignés"}
    assert {statuses[p.name] for p in always} == {"Ouvert maintenant"}
    # The absurd text is never evaluated; the other once for its three places.
    assert counted_walks == [str(hours.parse("Mo-Su 00:00-24:00"))]

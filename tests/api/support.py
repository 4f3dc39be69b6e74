"""Constants and helpers shared by the API tests."""

from django.contrib.gis.geos import Point

VILLEURBANNE = Point(4.8799, 45.7667, srid=4326)
ALWAYS = "24/7"
NEVER = ""  # no opening hours: never reported open

# A deterministic ring of points around Villeurbanne, 0.4 to 60 km away.
RING_OFFSETS = [(0.004 * k * (-1) ** k, 0.003 * k * (1 if k % 3 else -1)) for k in range(1, 31)]
RING_OFFSETS += [(0.3, 0.2), (-0.35, -0.1), (0.45, -0.25)]

PLACES = "/api/v1/places/"


def names(response) -> list[str]:
    return [f["properties"]["name"] for f in response.json()["features"]]


def name_set(response) -> set[str]:
    return set(names(response))

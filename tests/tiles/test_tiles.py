"""The place tiles as a map reads them: decoded features, per zoom, per filter, cached."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from directory.models import Place, Status
from directory.selectors import haversine_m, is_open
from directory.services import place_save
from directory.tiles import grid
from directory.tiles.content import tile_content
from directory.tiles.params import TileQuery, TileQuerySerializer

from .conftest import decode, in_tile, shown, tile_of

pytestmark = pytest.mark.django_db


def tile(client, z, x, y, **params):
    return client.get(reverse("tiles:place-tile", kwargs={"z": z, "x": x, "y": y}), params)


def published(**filters) -> list[Place]:
    return list(Place.objects.filter(status=Status.PUBLISHED, **filters))


def test_high_zoom_tile_holds_each_place_with_its_popup_fields(client, directory):
    lyon = directory["lyon-0"]
    z, x, y = tile_of(lyon, 15)
    layers = decode(tile(client, z, x, y))
    assert layers["clusters"] == []
    expected = in_tile(published(), z, x, y)
    assert lyon.pk in expected
    assert {p["id"] for _, _, p in layers["places"]} == expected
    lon, lat, props = next(f for f in layers["places"] if f[2]["id"] == lyon.pk)
    assert props["name"] == "Lieu Lyon 0"
    assert props["url"] == lyon.get_absolute_url()
    assert props["town"] == lyon.commune.name
    # Where the place is, to the tile's resolution (a z15 tile: ~1 m per unit).
    assert lon == pytest.approx(lyon.location.x, abs=1e-4)
    assert lat == pytest.approx(lyon.location.y, abs=1e-4)


def test_every_published_place_is_counted_once_at_every_zoom(client, directory):
    everywhere = published()
    for z in (0, 5, 8, 11, 12, 13, 14):
        total = 0
        for t in {tile_of(p, z) for p in everywhere}:
            layers = decode(tile(client, *t))
            assert shown(layers) == len(in_tile(everywhere, *t)), t
            ids = {p["id"] for _, _, p in layers["places"]}
            assert directory["draft"].pk not in ids and directory["archived"].pk not in ids
            total += shown(layers)
        assert total == len(everywhere)


def test_clusters_at_low_zoom_sit_at_their_places_mean(client, directory):
    z, x, y = tile_of(directory["lyon-0"], 8)
    layers = decode(tile(client, z, x, y))
    lyon = [p for name, p in directory.items() if name.startswith("lyon-")]
    (cluster,) = [c for c in layers["clusters"] if c[2]["count"] == len(lyon)]
    assert cluster[0] == pytest.approx(sum(p.location.x for p in lyon) / len(lyon), abs=1e-3)
    assert cluster[1] == pytest.approx(sum(p.location.y for p in lyon) / len(lyon), abs=1e-3)
    assert cluster[2]["label"] == str(len(lyon))
    # Saint-Étienne, alone in its cell: a place, not a cluster of one.
    saint_etienne = directory["saint_etienne"]
    if tile_of(saint_etienne, 8) == (z, x, y):
        assert saint_etienne.pk in {p["id"] for _, _, p in layers["places"]}


FILTERS = [
    ({"competence": "sejour"}, lambda p: "sejour" in p.slugs),
    (
        {"competence": "apprentissage-francais,emploi-formation"},
        lambda p: p.slugs & {"apprentissage-francais", "emploi-formation"},
    ),
    (
        {"competence": ["sejour", "emploi-formation"], "competence_match": "all"},
        lambda p: {"sejour", "emploi-formation"} <= p.slugs,
    ),
    ({"kind": "accueil-primo-arrivants"}, lambda p: "accueil-primo-arrivants" in p.kinds_),
    ({"region": "84"}, lambda p: p.commune.region.code == "84"),
    ({"department": "69"}, lambda p: p.commune.department.code == "69"),
    (
        {"region": "84", "competence": "sejour"},
        lambda p: p.commune.region.code == "84" and "sejour" in p.slugs,
    ),
    ({"language": "ar"}, lambda p: "ar" in p.languages.split(",")),
    ({"open_now": "true"}, is_open),
    ({"near": "4.85,45.76", "radius": "3"}, None),
]


def _annotated(places):
    for p in places:
        p.slugs = {c.slug for c in p.competences.all()}
        p.kinds_ = {k.slug for k in p.kinds.all()}
    return places


@pytest.mark.parametrize("params, keep", FILTERS)
def test_filters_are_honoured(client, directory, params, keep):
    everywhere = _annotated(published())
    if keep is None:  # within 3 km of the point
        origin = Point(4.85, 45.76, srid=4326)
        wanted = [p for p in everywhere if haversine_m(origin, p.location) <= 3000]
    else:
        wanted = [p for p in everywhere if keep(p)]
    assert 0 < len(wanted) < len(everywhere)
    for z in (6, 12, 16):  # counted in advance (or grouped), grouped, every place
        seen = 0
        for t in {tile_of(p, z) for p in everywhere}:
            layers = decode(tile(client, *t, **params))
            assert shown(layers) == len(in_tile(wanted, *t)), t
            if z > grid.CLUSTER_MAX_ZOOM:
                assert {p["id"] for _, _, p in layers["places"]} == in_tile(wanted, *t)
            seen += shown(layers)
        assert seen == len(wanted)


@pytest.mark.parametrize(
    "params",
    [{}, {"competence": "sejour"}, {"region": "84"}, {"department": "69"}, {"region": "93"}],
)
def test_counted_in_advance_and_grouped_on_request_agree(directory, params, monkeypatch):
    serializer = TileQuerySerializer(data=params)
    assert serializer.is_valid()
    query = TileQuery.from_params(serializer.validated_data)

    def content(z, x, y) -> tuple:
        found = tile_content(query, z, x, y)
        clusters = sorted((round(c.lon, 9), round(c.lat, 9), c.count) for c in found.clusters)
        return clusters, sorted(found.places.values_list("pk", flat=True))

    for z in range(grid.PRE_AGGREGATED_MAX_ZOOM + 1):
        for t in {tile_of(p, z) for p in published()}:
            with monkeypatch.context() as patch:
                ahead = content(*t)
                patch.setattr("directory.tiles.content.pre_aggregated", lambda query: None)
                assert content(*t) == ahead, (z, t)


BAD = [
    ("competence=xyz", "competence", "Compétence inconnue : « xyz »"),
    ("kind=nope", "kind", "Type de lieu inconnu"),
    ("region=99", "region", "Région inconnue : « 99 »"),
    ("department=999", "department", "Département inconnu"),
    ("language=xx", "language", "Langue inconnue"),
    ("open_now=maybe", "open_now", "true ou false"),
    ("near=abc", "near", "2 nombres"),
    ("near=4.8,45.7&radius=900", "radius", "entre 0,1 et 200"),
    ("radius=5", "radius", "qu'avec near ou address"),
    ("competence_match=some", "competence_match", "any ou all"),
]


@pytest.mark.parametrize("query, parameter, words", BAD)
@pytest.mark.parametrize("url", ["/tiles/places/5/16/11.pbf", "/tiles/places.json"])
def test_bad_parameters_are_a_400_naming_them(client, db, url, query, parameter, words):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == [parameter]
    assert words in " ".join(body[parameter])


@pytest.mark.parametrize("path", ["19/0/0", "5/32/0", "5/0/32"])
def test_tiles_beyond_the_grid_are_404(client, db, path):
    assert client.get(f"/tiles/places/{path}.pbf").status_code == 404


def test_empty_tile_is_204(client, directory):
    assert tile(client, 5, 0, 0).status_code == 204  # mid-Pacific


def test_http_caching(client, directory, django_assert_num_queries):
    z, x, y = tile_of(directory["lyon-0"], 9)
    first = tile(client, z, x, y)
    assert first.status_code == 200
    assert "public" in first["Cache-Control"] and "max-age=300" in first["Cache-Control"]
    etag = first["ETag"]
    # Built once: the next request reads the Django cache (the version number only).
    with django_assert_num_queries(0):
        again = tile(client, z, x, y)
    assert again.content == first.content and again["ETag"] == etag
    not_modified = client.get(
        reverse("tiles:place-tile", kwargs={"z": z, "x": x, "y": y}), HTTP_IF_NONE_MATCH=etag
    )
    assert not_modified.status_code == 304
    # Same filters written another way: the same cached tile.
    assert (
        tile(client, z, x, y, competence="sejour,apprentissage-francais")["ETag"]
        == tile(client, z, x, y, competence=["apprentissage-francais", "sejour"])["ETag"]
    )
    assert "max-age=60" in tile(client, z, x, y, open_now="true")["Cache-Control"]


def _ids(client, place, z=15):
    return {p["id"] for _, _, p in decode(tile(client, *tile_of(place, z)))["places"]}


def test_a_changed_place_shows_in_the_next_tile(client, directory):
    place = directory["lyon-5"]
    z, x, y = tile_of(place, 15)
    assert place.pk in _ids(client, place)
    place.name = "Nouveau nom"
    place.save()
    names = {p["name"] for _, _, p in decode(tile(client, z, x, y))["places"]}
    assert "Nouveau nom" in names

    # Moved to Marseille: gone from Lyon's tile, in Marseille's.
    place.location = directory["marseille"].location
    place_save(place=place)
    assert place.pk not in {p["id"] for _, _, p in decode(tile(client, z, x, y))["places"]}
    assert place.pk in _ids(client, place)

    # Archived: nowhere; published again: back.
    place.status = Status.ARCHIVED
    place.save()
    assert place.pk not in _ids(client, place)
    place.status = Status.PUBLISHED
    place.save()
    assert place.pk in _ids(client, place)

    # A draft published appears; a deleted place disappears (at every zoom).
    draft = directory["draft"]
    assert draft.pk not in _ids(client, draft)
    low = tile_of(draft, 6)
    before = shown(decode(tile(client, *low)))
    draft.status = Status.PUBLISHED
    draft.save()
    assert draft.pk in _ids(client, draft)
    assert shown(decode(tile(client, *low))) == before + 1
    draft.delete()
    assert shown(decode(tile(client, *low))) == before


def test_a_competence_added_shows_in_filtered_tiles(client, directory, comp):
    place = directory["lyon-1"]  # apprentissage-francais only
    t = tile_of(place, 6)
    before = shown(decode(tile(client, *t, competence="sejour")))
    place.competences.add(comp["sejour"])
    assert shown(decode(tile(client, *t, competence="sejour"))) == before + 1
    assert shown(decode(tile(client, *t, competence="sejour,asile"))) == before + 1


def test_tilejson(client, directory):
    response = client.get("/tiles/places.json?competence=sejour&region=84")
    assert response.status_code == 200
    doc = response.json()
    assert doc["tilejson"] == "3.0.0"
    (template,) = doc["tiles"]
    assert template.startswith("http://testserver/tiles/places/{z}/{x}/{y}.pbf?")
    assert "competence=sejour" in template and "region=84" in template and "v=" in template
    assert doc["minzoom"] == 0 and doc["maxzoom"] == grid.MAX_ZOOM
    west, south, east, north = doc["bounds"]
    assert west < -61 and east > 55 and south < -21 and north > 51  # overseas included
    assert "Licence Ouverte" in doc["attribution"]
    layers = {layer["id"]: layer for layer in doc["vector_layers"]}
    assert layers["clusters"]["maxzoom"] == grid.CLUSTER_MAX_ZOOM
    assert set(layers["places"]["fields"]) == {"id", "name", "url", "town"}
    # The template works as it is.
    url = template.replace("{z}/{x}/{y}", "/".join(map(str, tile_of(directory["lyon-0"], 14))))
    assert client.get(url.removeprefix("http://testserver")).status_code == 200

"""The cluster tables stay what a full rebuild would make of them, whatever happens to a place."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db.models import Sum

from directory.models import ClusterDimension, Place, PlaceCell, PlaceCluster, Status
from directory.services import place_save
from directory.tiles import grid
from directory.tiles.clusters import rebuild
from geodata.models import Region
from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    return {
        (c.dimension, c.value, c.zoom, c.cell): (c.count, round(c.lon_sum, 7), round(c.lat_sum, 7))
        for c in PlaceCluster.objects.all()
    }


def cells() -> dict:
    return {
        c.place_id: (c.cell, c.region_pk, c.department_pk, c.competence_pks)
        for c in PlaceCell.objects.all()
    }


def assert_as_rebuilt() -> None:
    kept, kept_cells = snapshot(), cells()
    rebuild()
    assert kept_cells == cells()
    assert kept == snapshot()


def total(dimension=ClusterDimension.ALL, value=0, zoom=0) -> int:
    rows = PlaceCluster.objects.filter(dimension=dimension, value=value, zoom=zoom)
    return rows.aggregate(n=Sum("count"))["n"] or 0


def test_counts_follow_creation(directory, comp):
    published = Place.objects.filter(status=Status.PUBLISHED)
    assert total() == published.count()
    for zoom in range(grid.PRE_AGGREGATED_MAX_ZOOM + 1):
        assert total(zoom=zoom) == published.count()
    sejour = comp["sejour"]
    assert (
        total(ClusterDimension.COMPETENCE, sejour.pk)
        == published.filter(competences=sejour).count()
    )
    aura = Region.objects.get(code="84")
    assert total(ClusterDimension.REGION, aura.pk) == published.filter(commune__region=aura).count()
    # Each cell holds the places whose point falls in it, at their mean point.
    for zoom in (5, 9, 11):
        members: dict[int, list[Place]] = {}
        for place in published:
            cell = grid.finest_cell(place.location.x, place.location.y) >> grid.cell_shift(zoom)
            members.setdefault(cell, []).append(place)
        rows = PlaceCluster.objects.filter(dimension=ClusterDimension.ALL, zoom=zoom)
        assert {row.cell: row.count for row in rows} == {c: len(m) for c, m in members.items()}
        for row in rows:
            places = members[row.cell]
            assert row.lon == pytest.approx(sum(p.location.x for p in places) / len(places))
            assert row.lat == pytest.approx(sum(p.location.y for p in places) / len(places))
    assert_as_rebuilt()


def test_counts_follow_moves_publishing_archiving_and_deleting(directory, comp):
    place = directory["lyon-3"]
    # Moved within Lyon, then to Marseille (another région and département).
    place.location = Point(4.8601, 45.7702, srid=4326)
    place_save(place=place)
    assert_as_rebuilt()
    place.location = Point(5.3810, 43.3050, srid=4326)
    place_save(place=place)
    assert place.commune.region.code == "93"
    assert_as_rebuilt()

    directory["draft"].status = Status.PUBLISHED
    directory["draft"].save()
    assert PlaceCell.objects.filter(place=directory["draft"]).exists()
    assert_as_rebuilt()

    directory["lyon-4"].status = Status.ARCHIVED
    directory["lyon-4"].save()
    assert not PlaceCell.objects.filter(place=directory["lyon-4"]).exists()
    assert_as_rebuilt()

    directory["marseille"].delete()
    assert_as_rebuilt()
    Place.objects.filter(pk__in=[directory["lyon-6"].pk, directory["lyon-7"].pk]).delete()
    assert_as_rebuilt()
    assert total() == Place.objects.filter(status=Status.PUBLISHED).count()


def test_counts_follow_competences_from_either_side(directory, comp):
    place = directory["lyon-1"]
    place.competences.add(comp["asile"])
    assert total(ClusterDimension.COMPETENCE, comp["asile"].pk) == 1
    assert_as_rebuilt()
    place.competences.remove(comp["apprentissage-francais"])
    assert_as_rebuilt()
    directory["cergy"].competences.add(comp["asile"])
    assert total(ClusterDimension.COMPETENCE, comp["asile"].pk) == 2
    place.competences.clear()
    assert total(ClusterDimension.COMPETENCE, comp["asile"].pk) == 1
    assert_as_rebuilt()
    place.competences.set([comp["sante"], comp["sejour"]])
    assert_as_rebuilt()


def test_drafts_and_archived_count_nowhere(directory):
    for name in ("draft", "archived"):
        assert not PlaceCell.objects.filter(place=directory[name]).exists()
    directory["draft"].name = "Brouillon renommé"
    directory["draft"].save()
    assert not PlaceCell.objects.filter(place=directory["draft"]).exists()


def test_rebuild_command_after_a_bulk_load(db):
    call_command("generate_places", "--count", "150", "--seed", "3", "-v0", stdout=StringIO())
    assert total() == 0  # bulk_create sends no signal
    out = StringIO()
    call_command("rebuild_place_clusters", stdout=out)
    published = Place.objects.filter(status=Status.PUBLISHED).count()
    assert f"{published} lieux publiés placés" in out.getvalue()
    assert total() == published == 150
    assert total(zoom=grid.PRE_AGGREGATED_MAX_ZOOM) == published
    # Then kept by the signals as usual.
    PlaceFactory(lon=4.85, lat=45.76)
    assert total() == published + 1
    assert_as_rebuilt()


def test_a_place_deleted_behind_the_orm_s_back_does_not_break_saving(directory):
    from django.db import connection

    gone = directory["cergy"].pk
    for links in (Place.kinds.through, Place.competences.through):
        links.objects.filter(place_id=gone).delete()
    with connection.cursor() as cursor:  # as generate_places deletes: no signal
        cursor.execute("DELETE FROM directory_place WHERE id = %s", [gone])
    place = directory["lyon-2"]
    place.name = "Toujours enregistrable"
    place.save()
    rebuild()
    assert not PlaceCell.objects.filter(place_id=gone).exists()

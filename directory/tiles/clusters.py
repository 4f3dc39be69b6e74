"""Writes of the cluster tables: each place's cell (PlaceCell) and the counts per cell (PlaceCluster).

`sync_place` keeps them current one place at a time, from the signal handlers in
directory/tiles/signals.py: it takes away what the place counted for (its PlaceCell
row says where and in which dimensions) and adds what it counts for now, as
increments of the few cells concerned — about 12 zooms × 4 dimensions, one
INSERT … ON CONFLICT statement. `rebuild` recomputes everything, for bulk loads that
bypass the signals (`generate_places`, raw SQL): `manage.py rebuild_place_clusters`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction

from geodata.functions import Latitude, Longitude

from ..models import ClusterDimension, Place, PlaceCell, PlaceCluster, Status
from . import grid

Key = tuple[str, int, int, int]  # dimension, value, zoom, cell
REBUILD_BATCH = 5_000


@dataclass(frozen=True)
class Counted:
    """Where and in which dimensions one published place is counted."""

    cell: int
    lon: float
    lat: float
    region_pk: int | None
    department_pk: int | None
    competence_pks: tuple[int, ...]

    @classmethod
    def of_row(cls, row: PlaceCell) -> Counted:
        pks = tuple(int(pk) for pk in row.competence_pks.split(",") if pk)
        return cls(row.cell, row.lon, row.lat, row.region_pk, row.department_pk, pks)

    def columns(self, place_id: int) -> dict[str, object]:
        """The PlaceCell row's values, by column."""
        return {
            "place_id": place_id,
            "cell": self.cell,
            "lon": self.lon,
            "lat": self.lat,
            "region_pk": self.region_pk,
            "department_pk": self.department_pk,
            "competence_pks": ",".join(map(str, self.competence_pks)),
        }

    def as_row(self, place_id: int) -> PlaceCell:
        return PlaceCell(**self.columns(place_id))

    def dimensions(self) -> Iterator[tuple[str, int]]:
        yield ClusterDimension.ALL, 0
        for pk in self.competence_pks:
            yield ClusterDimension.COMPETENCE, pk
        if self.region_pk is not None:
            yield ClusterDimension.REGION, self.region_pk
        if self.department_pk is not None:
            yield ClusterDimension.DEPARTMENT, self.department_pk

    def keys(self) -> Iterator[Key]:
        for zoom in range(grid.PRE_AGGREGATED_MAX_ZOOM + 1):
            cell = self.cell >> grid.cell_shift(zoom)
            for dimension, value in self.dimensions():
                yield str(dimension), value, zoom, cell


def counted(lon: float, lat: float, region_pk, department_pk, competence_pks) -> Counted:
    return Counted(
        grid.finest_cell(lon, lat),
        lon,
        lat,
        region_pk,
        department_pk,
        tuple(sorted(set(competence_pks))),
    )


def _current(place_id: int) -> Counted | None:
    """What the place counts for now: nothing unless published."""
    row = (
        Place.objects.filter(pk=place_id, status=Status.PUBLISHED)
        .values_list(
            Longitude("location"), Latitude("location"), "commune__region", "commune__department"
        )
        .first()
    )
    if row is None:
        return None
    competence_pks = Place.competences.through.objects.filter(place_id=place_id).values_list(
        "competence_id", flat=True
    )
    return counted(*row, competence_pks)


def sync_place(place_id: int) -> bool:
    """Bring the counts in line with the place as stored; True if it is or was counted."""
    with transaction.atomic():
        # Concurrent saves of one place wait here, so that each reads what the last wrote.
        list(Place.objects.select_for_update().filter(pk=place_id).values_list("pk"))
        row = PlaceCell.objects.select_for_update().filter(place_id=place_id).first()
        old = Counted.of_row(row) if row is not None else None
        new = _current(place_id)
        if old == new:
            return new is not None
        deltas: dict[Key, list] = {}
        for state, sign in ((old, -1), (new, 1)):
            if state is None:
                continue
            for key in state.keys():
                delta = deltas.setdefault(key, [0, 0.0, 0.0])
                delta[0] += sign
                delta[1] += sign * state.lon
                delta[2] += sign * state.lat
        apply_deltas(deltas)
        if new is None:
            PlaceCell.objects.filter(place_id=place_id).delete()
        else:
            new.as_row(place_id).save()
        return True


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# Parameters of one statement stay well under SQLite's and PostgreSQL's limits (32,766, 65,535).
DELTA_ROWS_PER_STATEMENT = 1_000


def _values(rows: int) -> str:
    return ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * rows)


def apply_deltas(deltas: dict[Key, list]) -> None:
    """Add each (count, lon sum, lat sum) to its cell, creating or dropping rows as needed."""
    rows = [(*key, *delta) for key, delta in deltas.items() if any(delta)]
    if not rows:
        return
    table = _table(PlaceCluster)
    count = connection.ops.quote_name("count")
    upsert = (
        f"INSERT INTO {table} (dimension, value, zoom, cell, {count}, lon_sum, lat_sum) "
        "{rows} ON CONFLICT (dimension, value, zoom, cell) DO UPDATE SET "
        f"{count} = {table}.{count} + excluded.{count}, "
        f"lon_sum = {table}.lon_sum + excluded.lon_sum, "
        f"lat_sum = {table}.lat_sum + excluded.lat_sum"
    )
    emptied = [row[:4] for row in rows if row[4] < 0]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement whatever the number of cells: seven arrays (a VALUES list of
            # 20,000 rows cost seconds to bind, client side).
            arrays = (
                "SELECT * FROM unnest(%s::varchar[], %s::int[], %s::smallint[], "
                "%s::bigint[], %s::int[], %s::float8[], %s::float8[])"
            )
            sql = upsert.replace("{rows}", arrays)
            # An INSERT … SELECT gives no order: repeated keys cannot happen (a dict).
            cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])
        else:  # SQLite (≥ 3.24): VALUES lists, under its limit of parameters
            for start in range(0, len(rows), DELTA_ROWS_PER_STATEMENT):
                chunk = rows[start : start + DELTA_ROWS_PER_STATEMENT]
                sql = upsert.replace("{rows}", "VALUES " + _values(len(chunk)))
                # SQLite reads "INSERT … SELECT … ON CONFLICT" ambiguously; VALUES is plain.
                cursor.execute(sql, [value for row in chunk for value in row])
        if emptied:
            cursor.executemany(
                f"DELETE FROM {table} WHERE {count} <= 0 AND dimension = %s AND value = %s "
                "AND zoom = %s AND cell = %s",
                emptied,
            )


@dataclass
class RebuildReport:
    places: int = 0
    clusters: int = 0


def _published_batches(batch_size: int) -> Iterator[list[tuple]]:
    """(id, lon, lat, région id, département id) of published places, by id, in batches."""
    queryset = (
        Place.objects.filter(status=Status.PUBLISHED)
        .order_by("pk")
        .values_list(
            "pk",
            Longitude("location"),
            Latitude("location"),
            "commune__region",
            "commune__department",
        )
    )
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last)[:batch_size])
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def _competences_of(place_ids: list[int]) -> dict[int, list[int]]:
    links: dict[int, list[int]] = {}
    rows = Place.competences.through.objects.filter(
        place_id__gte=place_ids[0], place_id__lte=place_ids[-1]
    ).values_list("place_id", "competence_id")
    for place_id, competence_id in rows:
        links.setdefault(place_id, []).append(competence_id)
    return links


@transaction.atomic
def rebuild(*, batch_size: int = REBUILD_BATCH, progress=None) -> RebuildReport:
    """Recompute every PlaceCell from the published places, then every PlaceCluster."""
    report = RebuildReport()
    if connection.vendor == "postgresql":
        # Fresh pages (with the room migration 0009 leaves in them), no dead rows to vacuum.
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {_table(PlaceCluster)}, {_table(PlaceCell)}")
    else:
        PlaceCluster.objects.all().delete()
        PlaceCell.objects.all().delete()
    for batch in _published_batches(batch_size):
        links = _competences_of([row[0] for row in batch])
        PlaceCell.objects.bulk_create(
            counted(lon, lat, region, department, links.get(pk, ())).as_row(pk)
            for pk, lon, lat, region, department in batch
        )
        report.places += len(batch)
        if progress is not None:
            progress(report.places)
    _aggregate()
    report.clusters = PlaceCluster.objects.count()
    return report


def _aggregate() -> None:
    """PlaceCluster from PlaceCell: the highest pre-aggregated zoom, then each lower from it."""
    _aggregate_into(_table(PlaceCluster), f"{_table(PlaceCell)} c")


def _aggregate_into(table: str, cells: str) -> None:
    """Counts per cell of the PlaceCell rows `cells` (FROM text naming them `c`), written into `table` (PlaceCluster's columns) at every pre-aggregated zoom."""
    links = _table(Place.competences.through)
    count = connection.ops.quote_name("count")
    insert = f"INSERT INTO {table} (dimension, value, zoom, cell, {count}, lon_sum, lat_sum) "
    top = grid.PRE_AGGREGATED_MAX_ZOOM
    shift = grid.cell_shift(top)  # an int of ours, written into the SQL
    key = f"c.cell >> {shift}"
    per_dimension: Iterable[tuple[str, str, str, str]] = (
        (ClusterDimension.ALL, "0", cells, key),
        (
            ClusterDimension.COMPETENCE,
            "l.competence_id",
            f"{cells} JOIN {links} l ON l.place_id = c.place_id",
            f"l.competence_id, {key}",
        ),
        (
            ClusterDimension.REGION,
            "c.region_pk",
            f"{cells} WHERE c.region_pk IS NOT NULL",
            f"c.region_pk, {key}",
        ),
        (
            ClusterDimension.DEPARTMENT,
            "c.department_pk",
            f"{cells} WHERE c.department_pk IS NOT NULL",
            f"c.department_pk, {key}",
        ),
    )
    with connection.cursor() as cursor:
        for dimension, value, source, group in per_dimension:
            cursor.execute(
                insert + f"SELECT %s, {value}, {top}, {key}, COUNT(*), SUM(c.lon), SUM(c.lat) "
                f"FROM {source} GROUP BY {group}",
                [str(dimension)],
            )
        for zoom in range(top - 1, -1, -1):
            cursor.execute(
                insert + f"SELECT dimension, value, {zoom}, cell >> 2, SUM({count}), "
                f"SUM(lon_sum), SUM(lat_sum) FROM {table} WHERE zoom = %s "
                "GROUP BY dimension, value, cell >> 2",
                [zoom + 1],
            )


DELTAS = "import_cluster_deltas"


def add_from_cells(place_ids_table: str) -> None:
    """Add to the counts the places whose ids `place_ids_table` (column place_id) holds and
    whose PlaceCell rows are written — a bulk import's new places, however many: their counts
    per cell are summed in a temporary table, then added to PlaceCluster in one upsert."""
    table, count = _table(PlaceCluster), connection.ops.quote_name("count")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {DELTAS}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {DELTAS} (dimension varchar(16), value integer, "
            f"zoom smallint, cell bigint, {count} integer, lon_sum double precision, "
            "lat_sum double precision)"
        )
        _aggregate_into(
            DELTAS,
            f"{_table(PlaceCell)} c JOIN {place_ids_table} n ON n.place_id = c.place_id",
        )
        # "WHERE true": SQLite would read ON CONFLICT as a join's ON without it.
        cursor.execute(
            f"INSERT INTO {table} (dimension, value, zoom, cell, {count}, lon_sum, lat_sum) "
            f"SELECT dimension, value, zoom, cell, {count}, lon_sum, lat_sum FROM {DELTAS} "
            "WHERE true ORDER BY dimension, value, zoom, cell "
            "ON CONFLICT (dimension, value, zoom, cell) DO UPDATE SET "
            f"{count} = {table}.{count} + excluded.{count}, "
            f"lon_sum = {table}.lon_sum + excluded.lon_sum, "
            f"lat_sum = {table}.lat_sum + excluded.lat_sum"
        )
        cursor.execute(f"DROP TABLE {DELTAS}")

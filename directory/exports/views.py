"""Download pages that are also API endpoints: the latest build of each export, as a file.

`/exports/<file>` serves the file `manage.py build_exports` built (builds.py): gzip-encoded to
clients that accept it, decompressed on the fly for the others, with ETag (the manifest's
sha256 of what is sent), Last-Modified (the build's date) and 304 answers to conditional
requests. Where no build exists yet, a small directory (the demo's, ON_DEMAND_MAX_PLACES places
at most) gets one built once, here; a large one gets a 503 page saying that the file is being
prepared: a national export is never built inside a request.

With the directory's filters in the query string (?region=84&department=69&commune=69123
&competence=sante&competence=asile&kind=maison-des-langues), checked by a form first (an unknown
value is a 400 that says which), the export is written for the request, whole, into a spooled
temporary file before the first byte goes out: a database failure half-way is a 503, never a
200 with a cut file. A database failure is a 503 with `Cache-Control: no-store`.
"""

from __future__ import annotations

import gzip
import logging
import tempfile

from django import forms
from django.conf import settings
from django.db import DatabaseError
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.parameters import ParameterForm
from directory.models import Competence, Kind
from directory.selectors import PlaceFilters, competences, filter_places, kinds, published_places
from geodata.models import Commune, Department, Region

from . import builds
from .mapping import competence_mapping, kind_mapping
from .rows import snapshot
from .specs import EXPORTS, EXPORTS_BY_NAME, Export
from .writers import DirectoryChanged, Sink

__all__ = ["EXPORTS", "ExportFilterForm", "export", "index"]

logger = logging.getLogger(__name__)

MAX_AGE = 300  # seconds: exports are read far more often than places change
# Up to this many published places, a missing build is built in the request (~1 s).
ON_DEMAND_MAX_PLACES = 5_000
RETRY_AFTER = 60  # seconds, for a 503 while an export is being prepared
SPOOL_BYTES = 8 * 1024 * 1024  # a filtered export is kept in memory up to this size
UNKNOWN_CODE = {"invalid_choice": gettext_lazy("Code inconnu : %(value)s.")}
UNKNOWN_SLUG = {"invalid_choice": gettext_lazy("Identifiant inconnu : %(value)s.")}


class ExportFilterForm(ParameterForm):
    region = forms.ModelChoiceField(
        Region.objects.all(), to_field_name="code", required=False, error_messages=UNKNOWN_CODE
    )
    department = forms.ModelChoiceField(
        Department.objects.all(), to_field_name="code", required=False, error_messages=UNKNOWN_CODE
    )
    commune = forms.ModelChoiceField(
        Commune.objects.all(), to_field_name="code", required=False, error_messages=UNKNOWN_CODE
    )
    competence = forms.ModelMultipleChoiceField(
        Competence.objects.all(), to_field_name="slug", required=False, error_messages=UNKNOWN_SLUG
    )
    kind = forms.ModelMultipleChoiceField(
        Kind.objects.all(), to_field_name="slug", required=False, error_messages=UNKNOWN_SLUG
    )

    def filters(self) -> PlaceFilters:
        data = self.cleaned_data
        return PlaceFilters(
            region=data["region"].code if data["region"] else "",
            department=data["department"].code if data["department"] else "",
            commune=data["commune"].code if data["commune"] else "",
            competences=[c.slug for c in data["competence"]],
            kinds=[k.slug for k in data["kind"]],
        )


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def accepts_gzip(request: HttpRequest) -> bool:
    """Accept-Encoding names gzip (or *) without q=0."""
    weights: dict[str, float] = {}
    for part in request.headers.get("Accept-Encoding", "").split(","):
        coding, *params = (p.strip() for p in part.split(";"))
        weight = 1.0
        for param in params:
            name, _sep, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if coding:
            weights[coding.lower()] = weight
    for coding in ("gzip", "x-gzip"):
        if coding in weights:
            return weights[coding] > 0
    return weights.get("*", 0.0) > 0


def unavailable(request: HttpRequest, export: Export | None, reason: str) -> HttpResponse:
    """503 in French: the file is being prepared, or the database cannot be reached."""
    response = render(
        request,
        "exports/unavailable.html",
        {"export": export, "reason": reason, "retry_after": RETRY_AFTER},
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER)
    patch_cache_control(response, no_store=True)
    return response


class _Decompressed:
    """A .gz file read decompressed, without seek() (FileResponse would read it twice)."""

    def __init__(self, file):
        self._file = file
        self._gzip = gzip.GzipFile(fileobj=file, mode="rb")

    def read(self, size: int = -1) -> bytes:
        return self._gzip.read(size)

    def close(self) -> None:
        self._gzip.close()
        self._file.close()


def _serve(request: HttpRequest, export: Export, build: builds.Build) -> HttpResponse:
    encoded = accepts_gzip(request)
    # A strong ETag per representation: the sha256 of the bytes sent.
    etag = f'"{build.sha256 if encoded else build.content_sha256}"'
    last_modified = int(build.built.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        file = build.path().open("rb")
        if encoded:
            response = FileResponse(file, content_type=export.content_type)
            response["Content-Encoding"] = "gzip"
        else:
            response = FileResponse(_Decompressed(file), content_type=export.content_type)
            response["Content-Length"] = str(build.content_bytes)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_vary_headers(response, ["Accept-Encoding"])
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _latest(request: HttpRequest, export: Export) -> HttpResponse:
    build = builds.latest(export.name)
    if build is None:
        if published_places().count() > ON_DEMAND_MAX_PLACES:
            return unavailable(request, export, "preparing")
        base_url = settings.EXPORTS_BASE_URL or _base_url(request)
        try:
            build = builds.build(export, base_url=base_url, wait=False)
        except builds.BuildInProgress:
            return unavailable(request, export, "preparing")
        except OSError:
            logger.exception("Export %s: the exports folder cannot be written to", export.name)
            return unavailable(request, export, "preparing")
    try:
        return _serve(request, export, build)
    except FileNotFoundError:  # replaced by a newer build between the two reads
        build = builds.latest(export.name)
        if build is None:
            return unavailable(request, export, "preparing")
        return _serve(request, export, build)


def _filtered(request: HttpRequest, export: Export, filters: PlaceFilters) -> HttpResponse:
    places = filter_places(published_places(), filters)
    spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    try:
        sink = Sink(spooled)
        with snapshot():
            export.write(sink, places, _base_url(request))
        sink.flush()
    except BaseException:
        spooled.close()
        raise
    spooled.seek(0)
    response = FileResponse(spooled, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@require_safe
def export(request: HttpRequest, name: str) -> HttpResponse:
    spec = EXPORTS_BY_NAME[name]
    try:
        if spec.filtered:
            form = ExportFilterForm(request.GET)
            if not form.is_valid():
                response = JsonResponse(
                    {"errors": form.errors.get_json_data()},
                    status=400,
                    json_dumps_params={"ensure_ascii": False},
                )
                patch_cache_control(response, public=True, max_age=MAX_AGE)
                return response
            filters = form.filters()
            if filters != PlaceFilters():
                return _filtered(request, spec, filters)
        return _latest(request, spec)
    except (DatabaseError, DirectoryChanged):
        logger.exception("Export %s: the database failed", name)
        return unavailable(request, spec, "database")


def file_size(size: int) -> str:
    """12,3 Mo, 840 ko, 512 octets (decimal units, as the French « Mo » means)."""
    if size >= 1_000_000:
        return _("%(size)s Mo") % {"size": formats.number_format(size / 1_000_000, 1)}
    if size >= 1_000:
        return _("%(size)s ko") % {"size": formats.number_format(size / 1_000, 0)}
    return _("%(size)s octets") % {"size": size}


def built_label(build: builds.Build | None) -> str:
    """« mis à jour le 1er décembre 2026, 12,3 Mo » (the size of the file once downloaded)."""
    if build is None:
        return _("en préparation")
    built = timezone.localtime(build.built)
    day = "1er" if built.day == 1 and (get_language() or "fr").startswith("fr") else built.day
    return _("mis à jour le %(date)s, %(size)s") % {
        "date": f"{day} {formats.date_format(built, 'F Y')}",
        "size": file_size(build.content_bytes),
    }


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    links = [
        (export, reverse(f"exports:{export.name}"), built_label(builds.latest(export.name)))
        for export in EXPORTS
    ]
    competence_rows = [
        (competence, competence_mapping(competence.slug, competence.data_inclusion_code))
        for competence in competences()
    ]
    kind_rows = [(k, kind_mapping(k.slug)) for k in kinds()]
    return render(
        request,
        "exports/index.html",
        {
            "links": links,
            "place_count": published_places().count(),
            "competence_rows": competence_rows,
            "kind_rows": kind_rows,
            "base_url": _base_url(request),
        },
    )

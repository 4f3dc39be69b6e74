"""Importing places from the admin: upload → preview (a dry run) → confirm.

The uploaded files wait in IMPORTS_ROOT/<token>/ between the preview and the confirmation,
with what was asked (JSON) and the rejected rows (CSV, downloadable); the confirmation runs
the same import for real. A moderator may import into any organisation (or let the file name
them); an editor chooses one of her own, and every row goes there. Files over
IMPORT_ADMIN_MAX_BYTES are refused with the command to use instead.
"""

from __future__ import annotations

import io
import json
import secrets
import shutil
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from core import spreadsheets

from ..models import Organisation
from ..rules import editor_organisations, is_moderator
from .readers import FORMATS, ImportFileError, format_of, read
from .service import ImportReport, import_places, rejection_rows

FORMAT_LABELS = {
    "csv": _("CSV (export Repères ou tableur, UTF-8)"),
    "geojson": _("GeoJSON (export Repères)"),
    "xlsx": _("Classeur Excel (XLSX)"),
    "ods": _("Classeur LibreOffice (ODS)"),
    "data-inclusion": _("data·inclusion (structures JSON)"),
    "hsds": _("HSDS 3.0 (organisations JSON)"),
}
PREVIEW_ROWS = 200


def imports_root() -> Path:
    return Path(settings.IMPORTS_ROOT)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Fichier"))
    services = forms.FileField(
        label=_("Services data·inclusion (facultatif)"),
        required=False,
        help_text=_(
            "Pour le format data·inclusion : le fichier des services, qui donne les compétences."
        ),
    )
    file_format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("d'après l'extension du fichier"))]
        + [(f, FORMAT_LABELS[f]) for f in FORMATS],
    )
    source = forms.SlugField(
        label=_("Source"),
        max_length=64,
        help_text=_(
            "Un nom court, par ex. « cr-rhone-2026 » : il reconnaît les lieux d'un import à "
            "l'autre (réimporter le même fichier ne change rien)."
        ),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    accept_partial = forms.BooleanField(
        label=_("Écrire les lignes valides même si d'autres sont rejetées"), required=False
    )
    overwrite_edits = forms.BooleanField(
        label=_("Remplacer les modifications faites à la main depuis le dernier import"),
        required=False,
    )
    full = forms.BooleanField(
        label=_("Le fichier contient toute la source (signaler ses lieux absents du fichier)"),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = editor_organisations(user).order_by("name")
        if is_moderator(user):
            self.fields["organisation"].help_text = _(
                "Facultatif : sinon, les colonnes organisation du fichier (créées au besoin)."
            )
        else:
            self.fields["organisation"].required = True
            self.fields["organisation"].help_text = _("Tous les lieux du fichier iront à elle.")

    def clean(self):
        data = super().clean()
        limit = settings.IMPORT_ADMIN_MAX_BYTES
        for name in ("file", "services"):
            upload = data.get(name)
            if upload is not None and upload.size > limit:
                self.add_error(
                    name,
                    _(
                        "Fichier trop gros pour l'administration (%(size).1f Mo, %(limit).0f Mo au "
                        "plus) : importez-le avec la commande « manage.py import_places FICHIER "
                        "--source … --wet-run » (voir le README)."
                    )
                    % {"size": upload.size / 1e6, "limit": limit / 1e6},
                )
        upload = data.get("file")
        if upload is not None and not data.get("file_format"):
            try:
                data["file_format"] = format_of(upload.name)
            except ImportFileError as error:
                self.add_error("file_format", str(error))
        return data


def _run(folder: Path, asked: dict, *, wet_run: bool) -> ImportReport:
    organisation = (
        Organisation.objects.filter(pk=asked["organisation"]).first()
        if asked["organisation"]
        else None
    )
    services = folder / "services"
    with (folder / "file").open("rb") as file:
        services_file = services.open("rb") if services.exists() else None
        try:
            return import_places(
                read(file, asked["file_format"], services=services_file),
                source=asked["source"],
                organisation=organisation,
                wet_run=wet_run,
                accept_partial=asked["accept_partial"],
                overwrite_edits=asked["overwrite_edits"],
                full=asked["full"],
            )
        finally:
            if services_file is not None:
                services_file.close()


class PlaceImportMixin:
    """The "Importer des lieux" pages of the places' admin."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        own = [
            path("import/", view(self.import_view), name="{}_{}_import".format(*info)),
            path(
                "import/<slug:token>/confirm/",
                view(self.import_confirm_view),
                name="{}_{}_import_confirm".format(*info),
            ),
            path(
                "import/<slug:token>/rejets.csv",
                view(self.import_rejections_view),
                name="{}_{}_import_rejections".format(*info),
            ),
        ]
        return own + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if request.user.has_perm("directory.add_place"):
            extra_context["import_url"] = reverse("admin:directory_place_import")
        return super().changelist_view(request, extra_context)

    def _check(self, request: HttpRequest) -> None:
        if not request.user.has_perm("directory.add_place"):
            raise PermissionDenied

    def _folder(self, request: HttpRequest, token: str) -> tuple[Path, dict]:
        folder = imports_root() / token
        asked_file = folder / "asked.json"
        if not asked_file.exists():
            raise Http404(_("Cet import n'existe plus : recommencez l'envoi du fichier."))
        asked = json.loads(asked_file.read_text())
        if asked["user"] != request.user.pk:
            raise PermissionDenied
        return folder, asked

    def import_view(self, request: HttpRequest) -> HttpResponse:
        self._check(request)
        form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form}
        context["title"] = _("Importer des lieux")
        if request.method != "POST" or not form.is_valid():
            return TemplateResponse(request, "admin/directory/place/import.html", context)
        token = secrets.token_urlsafe(16)
        folder = imports_root() / token
        folder.mkdir(parents=True)
        with (folder / "file").open("wb") as out:
            for chunk in form.cleaned_data["file"].chunks():
                out.write(chunk)
        if form.cleaned_data.get("services"):
            with (folder / "services").open("wb") as out:
                for chunk in form.cleaned_data["services"].chunks():
                    out.write(chunk)
        organisation = form.cleaned_data["organisation"]
        asked = {
            "user": request.user.pk,
            "name": form.cleaned_data["file"].name,
            "file_format": form.cleaned_data["file_format"],
            "source": form.cleaned_data["source"],
            "organisation": organisation.pk if organisation else None,
            "accept_partial": form.cleaned_data["accept_partial"],
            "overwrite_edits": form.cleaned_data["overwrite_edits"],
            "full": form.cleaned_data["full"],
        }
        (folder / "asked.json").write_text(json.dumps(asked))
        try:
            report = _run(folder, asked, wet_run=False)
        except ImportFileError as error:
            shutil.rmtree(folder, ignore_errors=True)
            form.add_error("file", _("%(error)s Rien n'a été écrit.") % {"error": error})
            return TemplateResponse(request, "admin/directory/place/import.html", context)
        with (folder / "rejets.csv").open("w", encoding="utf-8-sig", newline="") as out:
            spreadsheets.writer(out).writerows(rejection_rows(report))
        context.update(
            title=_("Aperçu de l'import"),
            asked=asked,
            organisation=organisation,
            report=report,
            changes=[c for c in report.changes if c.outcome != "unchanged"][:PREVIEW_ROWS],
            rejected=report.rejected[:PREVIEW_ROWS],
            blocked=bool(report.rejected) and not asked["accept_partial"],
            token=token,
        )
        return TemplateResponse(request, "admin/directory/place/import_preview.html", context)

    def import_confirm_view(self, request: HttpRequest, token: str) -> HttpResponse:
        self._check(request)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:directory_place_import"))
        folder, asked = self._folder(request, token)
        try:
            report = _run(folder, asked, wet_run=True)
        except ImportFileError as error:
            messages.error(request, _("%(error)s Rien n'a été écrit.") % {"error": error})
            return HttpResponseRedirect(reverse("admin:directory_place_import"))
        shutil.rmtree(folder, ignore_errors=True)
        if not report.written:
            messages.error(
                request,
                _("Des lignes sont rejetées : rien n'a été écrit (%(n)d lignes).")
                % {"n": report.rejected_rows},
            )
            return HttpResponseRedirect(reverse("admin:directory_place_import"))
        messages.success(
            request,
            _(
                "Import « %(source)s » écrit : %(created)d créés, %(updated)d mis à jour, "
                "%(unchanged)d inchangés ; lignes rejetées : %(rejected)d ; modifications "
                "à la main gardées : %(conflicts)d."
            )
            % {
                "source": asked["source"],
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "rejected": report.rejected_rows,
                "conflicts": 0 if asked["overwrite_edits"] else len(report.conflicts),
            },
        )
        return HttpResponseRedirect(
            reverse("admin:directory_place_changelist") + f"?source={asked['source']}"
        )

    def import_rejections_view(self, request: HttpRequest, token: str) -> HttpResponse:
        self._check(request)
        folder, _asked = self._folder(request, token)
        data = io.BytesIO((folder / "rejets.csv").read_bytes())
        return FileResponse(
            data, as_attachment=True, filename="rejets.csv", content_type="text/csv"
        )

"""The queue of « Signaler une erreur » reports in the admin, and how a report is handled.

`/admin/directory/suggestion/`: an organisation's editors see the reports on their own
places, moderators all of them (directory/rules.py, `visible_suggestions` in SQL). A report
is read, never edited; from its page:

* `accept/`: the place's fields the report is about, as they are now, to correct
  (forms.correction_form_class); saving goes through `place_save` with the history
  reason « Suggestion n° 12 (signalement public) » (services.suggestion_accept);
* `refuse/`: recorded with who and when, with an optional word for the reporter.

The place's change page links to its open reports (`open_suggestions_context`).
The reporter's e-mail address is never shown: it only carries the answer.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core import review

from ..models import Suggestion, SuggestionKind, SuggestionStatus
from ..rules import visible_suggestions
from .forms import ReplyForm, correction_form_class
from .services import (
    SuggestionAlreadyHandled,
    change_reason,
    suggestion_accept,
    suggestion_refuse,
)


def open_suggestions_context(request: HttpRequest, place_id: str) -> dict:
    """For the place's change page: how many open reports she may see, and where they are."""
    try:
        place_pk = int(unquote(place_id))
    except (TypeError, ValueError):
        return {}
    if not request.user.has_perm("directory.view_suggestion"):
        return {}
    count = (
        visible_suggestions(request.user)
        .filter(place_id=place_pk, status=SuggestionStatus.NEW)
        .count()
    )
    if not count:
        return {}
    query = urlencode({"place__id__exact": place_pk, "status__exact": SuggestionStatus.NEW})
    return {
        "open_suggestions": count,
        "open_suggestions_url": f"{reverse('admin:directory_suggestion_changelist')}?{query}",
    }


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ("number", "place", "kind", "excerpt", "created_at", "status", "handled_by")
    list_display_links = ("number", "excerpt")
    list_filter = ("status", "kind")
    list_select_related = ("place", "handled_by")
    search_fields = ("place__name", "message")
    fields = (
        "place",
        "kind",
        "message",
        "answer_wanted",
        "created_at",
        "status",
        "handled_by",
        "handled_at",
        "reply",
    )
    readonly_fields = fields
    actions = ("refuse_selected",)

    # -- display ------------------------------------------------------------

    @admin.display(description=_("n°"), ordering="pk")
    def number(self, obj: Suggestion) -> str:
        return f"{obj.pk}"

    @admin.display(description=_("la bonne information"))
    def excerpt(self, obj: Suggestion) -> str:
        return Truncator(obj.message).chars(80)

    @admin.display(description=_("réponse par courriel demandée"), boolean=True)
    def answer_wanted(self, obj: Suggestion) -> bool:
        return bool(obj.email)

    # -- permissions --------------------------------------------------------

    def get_queryset(self, request):
        queryset = visible_suggestions(request.user).select_related("place", "handled_by")
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def has_add_permission(self, request):
        return False  # reports come from the public pages only

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("directory.view_suggestion", obj)

    def has_change_permission(self, request, obj=None):
        return False  # a report is read, then accepted or refused (below), never rewritten

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("directory.delete_suggestion", obj)

    def has_handle_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("directory.change_suggestion", obj)

    # -- pages --------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/accept/",
                self.admin_site.admin_view(self.accept_view),
                name="{}_{}_accept".format(*info),
            ),
            path(
                "<path:object_id>/refuse/",
                self.admin_site.admin_view(self.refuse_view),
                name="{}_{}_refuse".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        suggestion = self.get_object(request, unquote(object_id))
        extra = {}
        if suggestion is not None and suggestion.is_open:
            user = request.user
            extra = {
                "may_accept": user.has_perm("directory.accept_suggestion", suggestion),
                "may_refuse": user.has_perm("directory.change_suggestion", suggestion),
                "closure_for_moderators": suggestion.kind == SuggestionKind.CLOSED,
            }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def _open_suggestion(self, request: HttpRequest, object_id: str, rule: str) -> Suggestion:
        suggestion = self.get_object(request, unquote(object_id))
        if suggestion is None:
            raise Http404(gettext("Ce signalement n'existe pas, ou vous n'y avez pas accès."))
        if not request.user.has_perm(rule, suggestion):
            raise PermissionDenied
        return suggestion

    def _already_handled(self, request: HttpRequest, suggestion: Suggestion) -> HttpResponse:
        self.message_user(
            request,
            gettext("Le signalement n° %(number)s a déjà été traité.") % {"number": suggestion.pk},
            messages.WARNING,
        )
        return HttpResponseRedirect(
            reverse("admin:directory_suggestion_change", args=[suggestion.pk])
        )

    def _done(self, request: HttpRequest, text: str, *, suggestion: Suggestion, mailed: bool):
        self.message_user(request, text, messages.SUCCESS)
        if mailed:
            self.message_user(request, gettext("La personne en est informée par courriel."))
        elif suggestion.email:
            self.message_user(
                request,
                gettext("Le courriel à la personne n'a pas pu être envoyé."),
                messages.WARNING,
            )
        return HttpResponseRedirect(reverse("admin:directory_suggestion_changelist"))

    def accept_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        suggestion = self._open_suggestion(request, object_id, "directory.accept_suggestion")
        if not suggestion.is_open:
            return self._already_handled(request, suggestion)
        place = suggestion.place
        form = correction_form_class(suggestion.kind)(
            request.POST if request.method == "POST" else None, instance=place
        )
        reply_form = ReplyForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid() and reply_form.is_valid():
            changed = form.has_changed()
            if changed:
                form.apply_position(place)
            competences = (
                list(form.cleaned_data["competences"])
                if "competences" in form.changed_data
                else None
            )
            held = changed and review.held(request.user, place)
            try:
                mailed = suggestion_accept(
                    suggestion=suggestion,
                    user=request.user,
                    place=place if changed else None,
                    competences=competences,
                    reply=reply_form.cleaned_data["reply"],
                    site_url=request.build_absolute_uri("/"),
                )
            except SuggestionAlreadyHandled:
                return self._already_handled(request, suggestion)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.log_change(request, suggestion, gettext("Acceptée"))
                if changed and not held:
                    self.log_change(request, place, change_reason(suggestion))
                    self._report_position(request, form, place)
                if held:
                    text = gettext(
                        "Signalement n° %(number)s accepté : la correction de « %(place)s » "
                        "attend la relecture d'un modérateur (modifications à relire)."
                    )
                elif suggestion.kind == SuggestionKind.CLOSED:
                    text = gettext("Signalement n° %(number)s accepté : « %(place)s » est archivé.")
                elif changed:
                    text = gettext("Signalement n° %(number)s accepté : « %(place)s » est corrigé.")
                else:
                    text = gettext(
                        "Signalement n° %(number)s accepté, sans changement de « %(place)s »."
                    )
                text %= {"number": suggestion.pk, "place": place}
                return self._done(request, text, suggestion=suggestion, mailed=mailed)
        return self._render(
            request,
            suggestion,
            "admin/directory/suggestion/accept.html",
            title=gettext("Accepter le signalement n° %(number)s") % {"number": suggestion.pk},
            form=form,
            reply_form=reply_form,
            place_admin_url=reverse("admin:directory_place_change", args=[place.pk]),
        )

    def _report_position(self, request: HttpRequest, form, place) -> None:
        if not form.address_changed():
            return
        result = form.geocode_result
        if result is None:
            self.message_user(
                request,
                gettext(
                    "Adresse introuvable : la position n'a pas changé. Vérifiez le marqueur "
                    "dans la fiche du lieu."
                ),
                messages.WARNING,
            )
            return
        self.message_user(
            request,
            gettext("Position trouvée depuis l'adresse (précision : %(precision)s) : %(label)s")
            % {"precision": result.precision.label, "label": result.label},
        )

    def refuse_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        suggestion = self._open_suggestion(request, object_id, "directory.change_suggestion")
        if not suggestion.is_open:
            return self._already_handled(request, suggestion)
        reply_form = ReplyForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and reply_form.is_valid():
            try:
                mailed = suggestion_refuse(
                    suggestion=suggestion,
                    user=request.user,
                    reply=reply_form.cleaned_data["reply"],
                    site_url=request.build_absolute_uri("/"),
                )
            except SuggestionAlreadyHandled:
                return self._already_handled(request, suggestion)
            self.log_change(request, suggestion, gettext("Refusée"))
            text = gettext("Signalement n° %(number)s refusé.") % {"number": suggestion.pk}
            return self._done(request, text, suggestion=suggestion, mailed=mailed)
        return self._render(
            request,
            suggestion,
            "admin/directory/suggestion/refuse.html",
            title=gettext("Refuser le signalement n° %(number)s") % {"number": suggestion.pk},
            reply_form=reply_form,
        )

    def _render(self, request, suggestion: Suggestion, template: str, **context) -> HttpResponse:
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "suggestion": suggestion,
                "change_url": reverse("admin:directory_suggestion_change", args=[suggestion.pk]),
                **context,
            },
        )

    # -- actions ------------------------------------------------------------

    @admin.action(description=_("Refuser les signalements sélectionnés"), permissions=["handle"])
    def refuse_selected(self, request, queryset):
        refused = mailed = 0
        for suggestion in queryset.filter(status=SuggestionStatus.NEW):
            if not request.user.has_perm("directory.change_suggestion", suggestion):
                continue
            try:
                mailed += suggestion_refuse(
                    suggestion=suggestion,
                    user=request.user,
                    site_url=request.build_absolute_uri("/"),
                )
            except SuggestionAlreadyHandled:
                continue
            self.log_change(request, suggestion, gettext("Refusée"))
            refused += 1
        self.message_user(
            request,
            ngettext("%d signalement refusé.", "%d signalements refusés.", refused) % refused,
        )
        if mailed:
            self.message_user(
                request,
                ngettext(
                    "%d personne en est informée par courriel.",
                    "%d personnes en sont informées par courriel.",
                    mailed,
                )
                % mailed,
            )

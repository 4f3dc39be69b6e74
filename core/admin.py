"""The review queue of held edits (core/review.py), and the mixin the reviewed admins use."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import review
from .models import HeldChange, HeldStatus, UsageCounter

# The admin says whose it is (not "Administration de Django").
admin.site.site_header = _("Repères — administration")
admin.site.site_title = _("Repères")
admin.site.index_title = _("Annuaire, pratiques et relectures")


class HeldEditsMixin:
    """For a ModelAdmin of a reviewed model: `hold_for_review` at the top of save_model
    (after the form's derived values are applied), `is_held` at the top of save_related."""

    def hold_for_review(self, request, obj, form, change: bool) -> bool:
        """True if this change waits for review (then nothing of it is saved)."""
        if not change or not review.held(request.user, obj):
            return False
        reviewed = review.REGISTRY[type(obj)]
        relations = {
            name: [item.pk for item in form.cleaned_data[name]]
            for name in reviewed.relations
            if name in form.cleaned_data and name in form.changed_data
        }
        relations = self.relations_for_review(request, obj, relations)
        request._held_change = review.hold(edited=obj, relations=relations, author=request.user)
        request._held = True
        return True

    def relations_for_review(self, request, obj, relations: dict[str, list[int]]):
        """The chosen ids of the changed many-to-many fields, as the change will set them."""
        return relations

    def is_held(self, request) -> bool:
        return getattr(request, "_held", False)

    def response_change(self, request, obj):
        if not self.is_held(request):
            return super().response_change(request, obj)
        if request._held_change is None:
            self.message_user(request, _("Aucune modification à enregistrer."), messages.INFO)
        else:
            self.message_user(
                request,
                _(
                    "Votre modification est enregistrée et attend la relecture d'un "
                    "modérateur : la version en ligne reste inchangée jusque-là."
                ),
                messages.WARNING,
            )
        opts = self.opts
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))

    def construct_change_message(self, request, form, formsets, add=False):
        if self.is_held(request):  # nothing saved, the formsets included
            return [{"changed": {"fields": ["(en attente de relecture)"]}}]
        return super().construct_change_message(request, form, formsets, add)


@admin.register(HeldChange)
class HeldChangeAdmin(admin.ModelAdmin):
    list_display = ("label", "content_type", "author", "created_at", "status")
    list_filter = ("status", "content_type")
    fields = ("label", "content_type", "author", "created_at", "status", "comparison")
    readonly_fields = fields
    actions = ("accept", "refuse")

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("content_type", "author")
        if request.user.is_superuser:
            return queryset
        # A reviewer sees what she may publish; an editor, her own proposals.
        mine = queryset.filter(author=request.user).values_list("pk", flat=True)
        reviewable = [
            change.pk
            for change in queryset.filter(status=HeldStatus.PENDING)
            if review.may_review(request.user, change)
        ]
        return queryset.filter(pk__in=[*mine, *reviewable])

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("modifications (en ligne → proposé)"))
    def comparison(self, obj: HeldChange):
        rows = review.live_and_proposed(obj)
        body = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>",
            rows,
        )
        return format_html(
            "<table><thead><tr><th scope='col'>{}</th><th scope='col'>{}</th>"
            "<th scope='col'>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("champ"),
            _("en ligne"),
            _("proposé"),
            body,
        )

    def _handle(self, request, queryset, decide) -> int:
        """Apply `decide` to the pending changes she may review; how many were."""
        handled = refused = 0
        for change in queryset.filter(status=HeldStatus.PENDING):
            if not review.may_review(request.user, change):
                refused += 1
                continue
            decide(change, request.user)
            handled += 1
        if refused:
            text = ngettext(
                "%(count)d modification hors de vos droits de relecture, laissée en attente.",
                "%(count)d modifications hors de vos droits de relecture, laissées en attente.",
                refused,
            ) % {"count": refused}
            self.message_user(request, text, messages.WARNING)
        return handled

    @admin.action(description=_("Accepter et mettre en ligne"))
    def accept(self, request, queryset):
        if handled := self._handle(request, queryset, review.accept):
            text = ngettext(
                "%(count)d modification mise en ligne.",
                "%(count)d modifications mises en ligne.",
                handled,
            ) % {"count": handled}
            self.message_user(request, text, messages.SUCCESS)

    @admin.action(description=_("Refuser"))
    def refuse(self, request, queryset):
        if handled := self._handle(request, queryset, review.refuse):
            text = ngettext(
                "%(count)d modification refusée.", "%(count)d modifications refusées.", handled
            ) % {"count": handled}
            self.message_user(request, text, messages.SUCCESS)


@admin.register(UsageCounter)
class UsageCounterAdmin(admin.ModelAdmin):
    """No list of raw counters: the entry in the admin's menu opens the activity report."""

    def has_module_permission(self, request):
        return request.user.has_perm("core.view_activity_report")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("core.view_activity_report")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return HttpResponseRedirect(reverse("usage_report"))

"""The public pages of « Signaler une erreur »: the form and the thank-you page."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from core.ratelimit import Rate, client_ip, consume, ip_digest

from ..selectors import published_places
from .forms import SuggestionForm
from .services import suggestion_create


@never_cache
def place_report(request, slug):
    place = get_object_or_404(published_places().select_related("organisation"), slug=slug)
    form = SuggestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and (form.is_spam() or form.is_valid()):
        # Only what would be stored counts: a person correcting her typing spends nothing.
        ip_hash = ip_digest(client_ip(request))
        rate = Rate.parse(settings.SUGGESTION_RATE)
        if not consume("suggestion", ip_hash, rate):
            response = render(
                request,
                "directory/suggestions/rate_limited.html",
                {"place": place, "rate": rate, "wait": _duration(rate.seconds)},
                status=429,
            )
            response["Retry-After"] = str(rate.seconds)
            return response
        if not form.is_spam():  # the robot is thanked as anyone, and nothing is kept
            suggestion_create(
                place=place,
                ip_hash=ip_hash,
                language=get_language() or "",
                **{name: form.cleaned_data[name] for name in ("kind", "message", "email")},
            )
        return redirect("directory:place-report-thanks", slug=place.slug)
    return render(request, "directory/suggestions/report.html", {"place": place, "form": form})


def place_report_thanks(request, slug):
    place = get_object_or_404(published_places(), slug=slug)
    return render(request, "directory/suggestions/thanks.html", {"place": place})


def _duration(seconds: int) -> str:
    """« 1 heure », « 10 minutes »: in the page's language."""
    now = timezone.now()
    return timeuntil(now + timedelta(seconds=seconds), now)

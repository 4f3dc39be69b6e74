"""The public pages of the request forms: a notice's « Demander ce document », the network's
« Trouver une structure ressource », their confirmation pages."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import never_cache

from core.ratelimit import Rate, client_ip, consume, ip_digest

from ..models import Notice
from ..selectors import published_notices
from .forms import DocumentRequestForm, OrganisationRequestForm, RequestForm
from .services import (
    Requester,
    RequestNotSent,
    document_request_send,
    organisation_request_send,
)

TEMPLATES = "resources/requests"
RATE_SCOPE = "resources-request"
NOT_SENT = 503


def _notice(slug: str) -> Notice:
    return get_object_or_404(published_notices().select_related("holding_centre"), slug=slug)


def _requester(form: RequestForm) -> Requester:
    data = form.cleaned_data
    return Requester(
        name=data["name"],
        email=data["email"],
        message=data["message"],
        phone=data["phone"],
        organisation=data["organisation"],
    )


def _rate_limited(request: HttpRequest, context: dict) -> HttpResponse | None:
    """None when this client may send one more request (counted now), else the 429 page."""
    rate = Rate.parse(settings.DOCUMENT_REQUEST_RATE)
    if consume(RATE_SCOPE, ip_digest(client_ip(request)), rate):
        return None
    now = timezone.now()
    wait = timeuntil(now + timedelta(seconds=rate.seconds), now)  # « 1 heure »
    response = render(
        request,
        f"{TEMPLATES}/rate_limited.html",
        {**context, "rate": rate, "wait": wait},
        status=429,
    )
    response["Retry-After"] = str(rate.seconds)
    return response


def _not_sent(form: RequestForm) -> None:
    form.add_error(
        None,
        gettext(
            "Votre demande n'a pas pu être envoyée, à cause d'un problème de notre côté. "
            "Réessayez dans quelques minutes."
        ),
    )


@never_cache
def document_request(request: HttpRequest, slug: str) -> HttpResponse:
    notice = _notice(slug)
    context = {"notice": notice}
    if not notice.requestable:
        return render(request, f"{TEMPLATES}/unavailable.html", context, status=404)
    form = DocumentRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and (form.is_spam() or form.is_valid()):
        # Only a request that would be sent counts: correcting one's typing spends nothing.
        limited = _rate_limited(request, context)
        if limited:
            return limited
        if form.is_spam():  # the robot is thanked as anyone, and nothing is sent
            return redirect("resources:notice-request-sent", slug=notice.slug)
        try:
            document_request_send(
                notice=notice,
                requester=_requester(form),
                notice_url=request.build_absolute_uri(notice.get_absolute_url()),
                language=get_language() or "",
            )
        except RequestNotSent:
            _not_sent(form)
            status = NOT_SENT
        else:
            return redirect("resources:notice-request-sent", slug=notice.slug)
    return render(
        request, f"{TEMPLATES}/document_form.html", {**context, "form": form}, status=status
    )


def document_request_sent(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, f"{TEMPLATES}/document_sent.html", {"notice": _notice(slug)})


@never_cache
def organisation_request(request: HttpRequest) -> HttpResponse:
    form = OrganisationRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and (form.is_spam() or form.is_valid()):
        limited = _rate_limited(request, {})
        if limited:
            return limited
        if form.is_spam():
            return redirect("resources:organisation-request-sent")
        try:
            organisation_request_send(
                requester=_requester(form),
                region=form.cleaned_data["region"],
                theme=form.cleaned_data["theme"],
                language=get_language() or "",
            )
        except RequestNotSent:
            _not_sent(form)
            status = NOT_SENT
        else:
            return redirect("resources:organisation-request-sent")
    return render(request, f"{TEMPLATES}/organisation_form.html", {"form": form}, status=status)


def organisation_request_sent(request: HttpRequest) -> HttpResponse:
    return render(request, f"{TEMPLATES}/organisation_sent.html")

"""The OAI-PMH endpoint: the request's arguments in, the protocol's XML out."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .protocol import Context, respond


@csrf_exempt  # harvesters POST without a session; the endpoint only reads
@require_http_methods(["GET", "HEAD", "POST"])
def oai_endpoint(request: HttpRequest) -> HttpResponse:
    # Errors are answered as 200 documents too, as the protocol wants.
    query = request.POST if request.method == "POST" else request.GET
    context = Context(
        base_url=request.build_absolute_uri(request.path), absolute=request.build_absolute_uri
    )
    # The metadata are the same whatever the harvester's Accept-Language: the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        body = respond(query, context)
    return HttpResponse(body, content_type="text/xml; charset=utf-8")

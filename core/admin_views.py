"""The admin's « Voir sur le site » shortcut (/admin/r/<content type>/<id>/), confined.

Django's own shortcut redirects any staff member to any object's page, whoever it belongs
to: an editor could read the slug (the name) of another organisation's draft. Here the
object is looked up through its ModelAdmin, whose queryset and view permission apply the
app's rules (directory/rules.py, practices/rules.py): what she cannot open in the admin
is a 404, exactly as if it did not exist. config/urls.py puts this view in front of the
admin's own.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404, HttpRequest, HttpResponse


def view_on_site(request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist as error:
        raise Http404 from error
    if model is None:
        raise Http404
    try:
        model_admin = admin.site.get_model_admin(model)
    except NotRegistered as error:
        raise Http404 from error
    obj = model_admin.get_object(request, object_id)
    if obj is None or not model_admin.has_view_or_change_permission(request, obj):
        raise Http404
    return shortcut(request, content_type_id, object_id)

"""The network's two roles and the predicates that read what they are granted.

Roles are Django groups. Their names are data (they already exist in every
database), so they never change. Each app declares the codenames its editors
get (in its rules.py) and calls `connect_group_grants` from its AppConfig.ready();
moderators get every permission of the app. Which rows an editor may touch is
not a permission: it is decided by the rules of each app (`<app>/rules.py`).
"""

from __future__ import annotations

from collections.abc import Iterable

import rules
from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate

MODERATORS_GROUP = "Modérateurs du réseau"
EDITORS_GROUP = "Éditeurs"

# App label -> the codenames the editors group gets in that app (filled by connect_group_grants).
_editor_permissions: dict[str, frozenset[str]] = {}


def connect_group_grants(app_config: AppConfig, *, editor_permissions: Iterable[str]) -> None:
    """Grant the app's permissions to the groups after each migrate of that app."""
    _editor_permissions[app_config.label] = frozenset(editor_permissions)
    post_migrate.connect(
        grant_group_permissions,
        sender=app_config,
        dispatch_uid=f"core.roles.grant_group_permissions.{app_config.label}",
    )


def grant_group_permissions(sender=None, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Give the groups their permissions in the app that sent `post_migrate` (None: every app).

    Idempotent, and never removes a permission granted by hand. Permissions only
    exist once auth's own `post_migrate` handler has created them, so a data
    migration cannot do this; auth is earlier in INSTALLED_APPS, so its handler
    has already run for an app when this one does.
    """
    from django.contrib.auth.models import Group, Permission

    labels = [sender.label] if sender is not None else list(_editor_permissions)
    for label in labels:
        perms = Permission.objects.using(using).filter(content_type__app_label=label)
        moderators, _created = Group.objects.using(using).get_or_create(name=MODERATORS_GROUP)
        moderators.permissions.add(*perms)
        editors, _created = Group.objects.using(using).get_or_create(name=EDITORS_GROUP)
        editors.permissions.add(*perms.filter(codename__in=_editor_permissions[label]))


def has_model_perm(*perms: str) -> rules.Predicate:
    """An active user who holds one of these model permissions (superusers hold them all).

    Reads the backends' get_all_permissions() rather than user.has_perm(): a rule
    may bear the name of a model permission ("<app>.change_<model>"), and
    has_perm() would then ask that rule again.
    """

    @rules.predicate(name=f"has_model_perm:{'|'.join(perms)}")
    def holds(user) -> bool:
        if not getattr(user, "is_active", False):
            return False
        return user.is_superuser or not user.get_all_permissions().isdisjoint(perms)

    return holds


@rules.predicate
def without_object(user, obj) -> bool:
    """A model-level question (the admin's index, list and add button): no row to judge yet.

    ModelBackend also answers has_perm() without an object, and backends are OR-ed:
    a rule named after a model permission must not be stricter than it there.
    """
    return obj is None

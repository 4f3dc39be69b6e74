from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

MODERATORS_GROUP = "Modérateurs du réseau"
EDITORS_GROUP = "Éditeurs"
# What an organisation's editor may do; which places she may touch is decided by the admin.
EDITOR_PERMISSIONS = (
    "view_place",
    "add_place",
    "change_place",
    "view_historicalplace",
    "view_organisation",
    "view_competence",
    "view_kind",
)


def grant_group_permissions(sender, using="default", **kwargs) -> None:
    """Give the two directory groups their permissions (idempotent; never removes any).

    Permissions only exist once `post_migrate` has run auth's `create_permissions`,
    so a data migration cannot do this; auth is earlier in INSTALLED_APPS, so its
    handler has already run for this app when this one does.
    """
    from django.contrib.auth.models import Group, Permission

    directory_perms = Permission.objects.using(using).filter(content_type__app_label="directory")
    moderators, _created = Group.objects.using(using).get_or_create(name=MODERATORS_GROUP)
    moderators.permissions.add(*directory_perms)
    editors, _created = Group.objects.using(using).get_or_create(name=EDITORS_GROUP)
    editors.permissions.add(*directory_perms.filter(codename__in=EDITOR_PERMISSIONS))


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Annuaire")

    def ready(self) -> None:
        post_migrate.connect(
            grant_group_permissions, sender=self, dispatch_uid="directory.grant_group_permissions"
        )

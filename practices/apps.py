from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# The directory's groups (directory/apps.py): the same people write sheets.
MODERATORS_GROUP = "Modérateurs du réseau"
EDITORS_GROUP = "Éditeurs"
# What a member centre's editor may do; which sheets she may touch is decided by the admin.
EDITOR_PERMISSIONS = (
    "view_practicesheet",
    "add_practicesheet",
    "change_practicesheet",
    "view_historicalpracticesheet",
    "view_sheetactor",
    "add_sheetactor",
    "change_sheetactor",
    "delete_sheetactor",  # removing a partner from one's own sheet is an edit of the sheet
    "view_sourcelink",
    "add_sourcelink",
    "change_sourcelink",
    "delete_sourcelink",
    "view_theme",
)


def grant_group_permissions(sender, using="default", **kwargs) -> None:
    """Give the two network groups their practices permissions (idempotent; never removes any).

    Runs on `post_migrate`, after auth's `create_permissions` has created them.
    """
    from django.contrib.auth.models import Group, Permission

    perms = Permission.objects.using(using).filter(content_type__app_label="practices")
    moderators, _created = Group.objects.using(using).get_or_create(name=MODERATORS_GROUP)
    moderators.permissions.add(*perms)
    editors, _created = Group.objects.using(using).get_or_create(name=EDITORS_GROUP)
    editors.permissions.add(*perms.filter(codename__in=EDITOR_PERMISSIONS))


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = _("Pratiques d'intégration")

    def ready(self) -> None:
        from . import search  # noqa: F401  (keeps the SQLite full-text index in step)

        post_migrate.connect(
            grant_group_permissions, sender=self, dispatch_uid="practices.grant_group_permissions"
        )

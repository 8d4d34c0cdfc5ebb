from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_role_groups(sender, **kwargs):
    from .services import role_groups_sync

    role_groups_sync()


class DirectoryConfig(AppConfig):
    name = "matching.directory"
    label = "directory"
    verbose_name = _("机构与辖区")

    def ready(self):
        from .permission_sync import on_post_migrate, permission_sync_register

        permission_sync_register(_sync_role_groups)
        # No sender: the receiver acts on the last app signalled.
        post_migrate.connect(on_post_migrate, dispatch_uid="role-permissions")

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
        post_migrate.connect(_sync_role_groups, sender=self)

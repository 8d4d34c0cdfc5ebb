from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_permissions(sender, **kwargs):
    from .services import case_permissions_sync

    case_permissions_sync()


class CasesConfig(AppConfig):
    name = "matching.cases"
    label = "cases"
    verbose_name = _("救助案件")

    def ready(self):
        post_migrate.connect(_sync_permissions, sender=self, dispatch_uid="cases-permissions")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _sync_permissions(sender, **kwargs):
    from .services import case_permissions_sync

    case_permissions_sync()


class CasesConfig(AppConfig):
    name = "matching.cases"
    label = "cases"
    verbose_name = _("救助案件")

    def ready(self):
        from matching.directory.permission_sync import permission_sync_register

        permission_sync_register(_sync_permissions)

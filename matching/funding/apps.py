from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _sync_permissions(sender, **kwargs):
    from .permissions import funding_permissions_sync

    funding_permissions_sync()


class FundingConfig(AppConfig):
    name = "matching.funding"
    label = "funding"
    verbose_name = _("拨付与公开")

    def ready(self):
        from matching.directory.permission_sync import permission_sync_register

        permission_sync_register(_sync_permissions)

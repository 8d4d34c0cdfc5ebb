from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_permissions(sender, **kwargs):
    from .permissions import funding_permissions_sync

    funding_permissions_sync()


class FundingConfig(AppConfig):
    name = "matching.funding"
    label = "funding"
    verbose_name = _("拨付与公开")

    def ready(self):
        post_migrate.connect(_sync_permissions, sender=self, dispatch_uid="funding-permissions")

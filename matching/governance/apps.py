from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_permissions(sender, **kwargs):
    from .services import governance_permissions_sync

    governance_permissions_sync()


class GovernanceConfig(AppConfig):
    name = "matching.governance"
    label = "governance"
    verbose_name = _("监督管理")

    def ready(self):
        post_migrate.connect(_sync_permissions, sender=self, dispatch_uid="governance-permissions")

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "matching.ledger"
    label = "ledger"
    verbose_name = _("资金台账")

    def ready(self):
        from matching.core.guards import post_migrate_installer

        from .guards import LEDGER_GUARDS

        post_migrate.connect(
            post_migrate_installer(LEDGER_GUARDS),
            sender=self,
            weak=False,
            dispatch_uid="ledger-guards",
        )

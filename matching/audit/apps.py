from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def _mirror_wagtail_log(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .services import wagtail_log_mirror

        wagtail_log_mirror(log_entry=instance)


class AuditConfig(AppConfig):
    name = "matching.audit"
    label = "audit"
    verbose_name = _("审计")

    def ready(self):
        from wagtail.models import ModelLogEntry, PageLogEntry

        from matching.core.guards import post_migrate_installer

        from .guards import AUDIT_GUARDS

        post_migrate.connect(
            post_migrate_installer(AUDIT_GUARDS),
            sender=self,
            weak=False,
            dispatch_uid="audit-guards",
        )

        for model in (ModelLogEntry, PageLogEntry):
            post_save.connect(
                _mirror_wagtail_log, sender=model, dispatch_uid=f"audit-mirror-{model.__name__}"
            )

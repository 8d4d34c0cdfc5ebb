from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "matching.inspections"
    label = "inspections"
    verbose_name = _("专项督查与整改")

    def ready(self):
        from matching.directory.permission_sync import permission_sync_register

        from .permissions import inspections_permissions_sync

        permission_sync_register(inspections_permissions_sync)

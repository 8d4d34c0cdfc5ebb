from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "matching.organizations"
    label = "organizations"
    verbose_name = _("社会组织入驻与核验")

    def ready(self):
        from matching.directory.permission_sync import permission_sync_register

        from .permissions import organizations_permissions_sync

        permission_sync_register(organizations_permissions_sync)

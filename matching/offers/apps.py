from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "matching.offers"
    label = "offers"
    verbose_name = _("帮扶资源与匹配")

    def ready(self):
        from . import interchange  # noqa: F401 - registers the project/volunteer/fund lines

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "matching.volunteering"
    label = "volunteering"
    verbose_name = _("志愿者自助服务")

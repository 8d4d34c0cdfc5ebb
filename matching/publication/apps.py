from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    name = "matching.publication"
    label = "publication"
    verbose_name = _("匿名公示")

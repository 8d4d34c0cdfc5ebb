from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "matching.inspections"
    label = "inspections"
    verbose_name = _("专项督查与整改")

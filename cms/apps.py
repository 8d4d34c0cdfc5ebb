from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("门户内容")

    def ready(self):
        from cms.demo import seed_publicity_pages
        from matching.demo.signals import demo_seeded

        demo_seeded.connect(seed_publicity_pages, dispatch_uid="cms.demo.seed_publicity_pages")

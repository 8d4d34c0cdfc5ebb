from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "matching.notifications"
    label = "notifications"
    verbose_name = _("消息通知")

    def ready(self):
        from .sms import sms_gateway_check

        # A gateway adapter configured without its keys refuses to start.
        sms_gateway_check()

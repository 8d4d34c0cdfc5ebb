"""The joint-meeting screens and their menu item in the Wagtail admin."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from matching.directory.selectors import profile_get

from . import admin_views
from .selectors import TASK_READERS


class CoordinationMenuItem(MenuItem):
    def is_shown(self, request):
        profile = profile_get(user=request.user)
        return profile is not None and profile.role in TASK_READERS


@hooks.register("register_admin_urls")
def register_coordination_urls():
    return admin_views.urls()


@hooks.register("register_admin_menu_item")
def register_coordination_menu_item():
    return CoordinationMenuItem(
        _("联席会议"), reverse("coordination_overview"), icon_name="group", order=790
    )

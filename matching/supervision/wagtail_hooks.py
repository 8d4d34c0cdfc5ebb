"""The supervision dashboard (督查统计) in the Wagtail admin menu."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views
from .selectors import supervision_root_for


class SupervisionMenuItem(MenuItem):
    def is_shown(self, request):
        return supervision_root_for(user=request.user) is not None


@hooks.register("register_admin_menu_item")
def register_supervision_menu_item():
    return SupervisionMenuItem(
        _("督查统计"), reverse("supervision_dashboard"), icon_name="table", order=850
    )


@hooks.register("register_admin_urls")
def register_supervision_urls():
    return [
        path("supervision/", views.dashboard, name="supervision_dashboard"),
        *[
            path(
                f"supervision/{name}",
                views.download,
                {"file_format": file_format},
                name=f"supervision_{file_format}",
            )
            for name, file_format in (
                ("export.csv", "csv"),
                ("export.xlsx", "xlsx"),
                ("report.pdf", "pdf"),
            )
        ],
    ]

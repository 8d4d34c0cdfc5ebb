from wagtail import hooks
from wagtail.admin.ui.components import Component

from matching.directory.selectors import profile_get


class RolePanel(Component):
    """Tells a signed-in user which role and jurisdiction the admin is showing them."""

    name = "role"
    order = 10
    template_name = "cms/panels/role_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        return {"profile": profile_get(user=self.user)}


@hooks.register("construct_homepage_panels")
def add_role_panel(request, panels):
    panels.insert(0, RolePanel(request.user))

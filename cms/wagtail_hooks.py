from wagtail import hooks
from wagtail.admin.ui.components import Component

from matching.core import workqueue
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


class WorkQueuePanel(Component):
    """The reader's work queues, each count a link to exactly those rows; for a
    supervisor (city, district staff, inspector) the same per subordinate
    unit, the worst first (``matching/core/workqueue.py``)."""

    name = "work_queue"
    order = 20
    template_name = "cms/panels/work_queue_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        tallies, by_unit = workqueue.dashboard(user=self.user)
        # Units with nothing open are named on one line, not as rows of zeros
        # (a district has a dozen streets: on a phone that was pages of "0").
        busy = [(unit, unit_tallies) for unit, unit_tallies in by_unit if _any_open(unit_tallies)]
        idle = [unit for unit, unit_tallies in by_unit if not _any_open(unit_tallies)]
        return {"tallies": tallies, "by_unit": busy, "idle_units": idle}


def _any_open(tallies):
    return any(tally.count for tally in tallies)


@hooks.register("construct_homepage_panels")
def add_work_queue_panel(request, panels):
    panels.insert(1, WorkQueuePanel(request.user))

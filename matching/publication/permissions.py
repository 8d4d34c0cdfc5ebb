"""Which role may do what with public needs and charity projects (idempotent sync)."""

from django.contrib.auth.models import Group, Permission

from matching.directory.models import Role

# ``publish`` is what Wagtail checks when a workflow's last task approves; the
# action menus hide the direct "publish" button (wagtail_hooks), so approving
# in the workflow is the only way to publish.
_NEED = [
    "publication.change_publicneed",
    "publication.view_publicneed",
    "publication.publish_publicneed",
]
_MODERATE_PROJECTS = ["offers.view_project", "offers.change_project", "offers.publish_project"]
_OWN_PROJECTS = ["offers.add_project", "offers.change_project", "offers.view_project"]

ROLE_PERMISSIONS = {
    Role.CITY_STAFF: [*_NEED, *_MODERATE_PROJECTS],
    Role.DISTRICT_STAFF: [*_NEED, *_MODERATE_PROJECTS],
    Role.STREET_STAFF: _NEED,
    Role.CHARITY_ADMIN: _OWN_PROJECTS,
    Role.CHARITY_MEMBER: _OWN_PROJECTS,
}


def publication_permissions_sync():
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=Role(role).label)
        for name in names:
            app_label, codename = name.split(".")
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )

"""Instance permissions on projects: charity users act on their own organization's
projects; staff moderate every project."""

from wagtail.permission_policies import ModelPermissionPolicy

from matching.directory.models import Role
from matching.directory.selectors import profile_get, staff_profile

CHARITY_ROLES = {Role.CHARITY_ADMIN, Role.CHARITY_MEMBER}


def organization_of(user):
    profile = profile_get(user=user)
    if profile and profile.role in CHARITY_ROLES:
        return profile.organization
    return None


def moderates_projects(user):
    profile = staff_profile(user)
    return profile is not None


class ProjectPolicy(ModelPermissionPolicy):
    """Charity users: their organization's projects only. Staff: every project they moderate."""

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        organization = organization_of(user)
        if organization is not None:
            return instance.organization_id == organization.pk
        return moderates_projects(user)

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def instances_user_has_any_permission_for(self, user, actions):
        manager = self.model._default_manager
        if not self.user_has_any_permission(user, actions):
            return manager.none()
        organization = organization_of(user)
        if organization is not None:
            return manager.filter(organization=organization)
        return manager.all() if moderates_projects(user) else manager.none()

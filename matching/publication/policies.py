"""Instance permissions: staff act on the needs of their jurisdiction; charity users
on their own organization's projects."""

from wagtail.permission_policies import ModelPermissionPolicy

from matching.cases.access import can_handle_case, staff_profile
from matching.directory.models import Role
from matching.directory.selectors import profile_get

CHARITY_ROLES = {Role.CHARITY_ADMIN, Role.CHARITY_MEMBER}


class PublicNeedPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and can_handle_case(user, instance.case)

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def instances_user_has_any_permission_for(self, user, actions):
        profile = staff_profile(user)
        if profile is None or not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.model._default_manager.filter(
            case__jurisdiction__path__startswith=profile.jurisdiction.path
        )


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

"""Instance permissions on projects (charity users act on their own organization's
projects; staff moderate every project) and on funds (``FundPolicy``)."""

from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.base import BasePermissionPolicy

from matching.directory.models import STAFF_ROLES, Role
from matching.directory.selectors import profile_get, staff_profile

from .selectors import fund_list_managed

CHARITY_ROLES = {Role.CHARITY_ADMIN, Role.CHARITY_MEMBER}
FUND_MANAGERS = STAFF_ROLES | {Role.CHARITY_ADMIN}


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


class FundPolicy(BasePermissionPolicy):
    """Funds in the admin: a charity administrator manages their organization's
    social funds, civil-affairs staff the government funds of the departments in
    their jurisdiction (``selectors.fund_list_managed``). Nobody deletes a fund:
    its ledger account and matches refer to it."""

    def _manages_funds(self, user):
        if not user.is_authenticated:
            return False
        profile = profile_get(user=user)
        return bool(profile and profile.role in FUND_MANAGERS)

    def user_has_permission(self, user, action):
        return action in ("add", "change", "view") and self._manages_funds(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and fund_list_managed(user=user).filter(pk=instance.pk).exists()
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return fund_list_managed(user=user)

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def users_with_any_permission(self, actions):
        return get_user_model().objects.none()

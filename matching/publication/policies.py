"""Instance permissions: staff act on the needs of their jurisdiction."""

from wagtail.permission_policies import ModelPermissionPolicy

from matching.cases.access import can_handle_case
from matching.core.scope import subtree
from matching.directory.selectors import staff_profile


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
            subtree(profile.jurisdiction.path, field="case__jurisdiction__path")
        )

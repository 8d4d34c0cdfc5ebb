"""Who may handle a case and who may see its personal data.

Civil-affairs staff (city, district, street) handle the cases whose
jurisdiction lies inside their own. A department liaison sees the personal
data of cases referred to their department, and nothing else. Superusers
are platform operators, not caseworkers: without a staff profile they see
no personal data either.
"""

from matching.directory.models import Role
from matching.directory.selectors import profile_get, staff_profile


def can_handle_case(user, case):
    profile = staff_profile(user)
    return bool(profile and profile.jurisdiction.contains(case.jurisdiction))


def can_see_personal_data(user, case):
    if can_handle_case(user, case):
        return True
    profile = profile_get(user=user)
    return bool(
        profile
        and profile.role == Role.LIAISON
        and case.referrals.filter(department_id=profile.department_id).exists()
    )

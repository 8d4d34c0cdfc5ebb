"""Security middleware: staff two-factor gate and the admin's own CSP."""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from matching.directory.models import ADMIN_ROLES, Profile

ADMIN_PREFIX = "/admin/"
# Where an admin-side account works: the Wagtail admin, and the organization
# workspace, where a charity's administrator answers proposals, publishes
# projects and reports on money it received.
GUARDED_PREFIXES = (ADMIN_PREFIX, "/organization/")
# Signing in and out of the admin must stay reachable before the second factor.
OPEN_ADMIN_PATHS = ("/admin/login/", "/admin/logout/")


def needs_second_factor(user):
    """True for an account that works in the admin (any admin-side role, superusers)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    role = Profile.objects.filter(user=user).values_list("role", flat=True).first()
    return role in ADMIN_ROLES


class StaffTwoFactorMiddleware:
    """With ``STAFF_REQUIRE_2FA``, an admin-side account reaches /admin/ and the
    organization workspace only after verifying a TOTP code in this session
    (django-otp's ``is_verified``); it is sent to set up a device first if it
    has none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_verify(request):
            return redirect(f"{reverse('two_factor_verify')}?next={request.path}")
        return self.get_response(request)

    @staticmethod
    def _must_verify(request):
        if not settings.STAFF_REQUIRE_2FA:
            return False
        if not request.path.startswith(GUARDED_PREFIXES) or request.path in OPEN_ADMIN_PATHS:
            return False
        user = request.user
        return needs_second_factor(user) and not user.is_verified()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The strict site policy everywhere; the Wagtail admin gets ``GOVERNANCE_ADMIN_CSP``."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path.startswith(ADMIN_PREFIX) and parts.config is None:
            parts.config = settings.GOVERNANCE_ADMIN_CSP
        return parts

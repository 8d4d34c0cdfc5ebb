from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

from .account_pages import account_page_for
from .models import Role
from .selectors import profile_get

CHARITY_ROLES = (Role.CHARITY_ADMIN, Role.CHARITY_MEMBER)


def _has_volunteer_record(user):
    try:
        return user.volunteer is not None  # offers.Volunteer, by its related name
    except ObjectDoesNotExist:
        return False


@login_required
def landing(request):
    """Where a login lands: a charity's workspace for its admins and members, the
    admin for the other staff-side roles, a volunteer's workspace for volunteers
    (docs/volunteers.md), the account page otherwise."""
    profile = profile_get(user=request.user)
    if profile and profile.organization_id and profile.role in CHARITY_ROLES:
        return redirect("organization_home")
    if request.user.is_superuser or (profile and profile.uses_admin):
        return redirect("wagtailadmin_home")
    if profile and profile.role == Role.VOLUNTEER and _has_volunteer_record(request.user):
        return redirect("volunteer_home")
    return redirect("my_account")


@login_required
def my_account(request):
    profile = profile_get(user=request.user)
    page = account_page_for(profile.role) if profile else None
    if page is not None:
        return page(request, profile)
    return render(request, "directory/my_account.html", {"profile": profile})


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

from .models import Role
from .selectors import profile_get


def _has_volunteer_record(user):
    try:
        return user.volunteer is not None  # offers.Volunteer, by its related name
    except ObjectDoesNotExist:
        return False


@login_required
def landing(request):
    """Where a login lands: the admin for staff-side roles, a volunteer's workspace
    for volunteers (docs/volunteers.md), the account page otherwise."""
    profile = profile_get(user=request.user)
    if request.user.is_superuser or (profile and profile.uses_admin):
        return redirect("wagtailadmin_home")
    if profile and profile.role == Role.VOLUNTEER and _has_volunteer_record(request.user):
        return redirect("volunteer_home")
    return redirect("my_account")


@login_required
def my_account(request):
    return render(request, "directory/my_account.html", {"profile": profile_get(user=request.user)})


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

from .account_pages import account_page_for
from .selectors import profile_get


@login_required
def landing(request):
    """Where a login lands: the admin for staff-side roles, the account page otherwise."""
    profile = profile_get(user=request.user)
    if request.user.is_superuser or (profile and profile.uses_admin):
        return redirect("wagtailadmin_home")
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

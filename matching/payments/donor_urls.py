"""The donor's pages (site/config/urls.py mounts them at the root)."""

from django.urls import path

from . import donor_views

app_name = "donor"

urlpatterns = [
    path("accounts/signup/donor/", donor_views.signup, name="signup"),
    path(
        "accounts/signup/donor/confirm/<str:token>/",
        donor_views.signup_confirm,
        name="signup_confirm",
    ),
    path("accounts/me/claim/", donor_views.claim, name="claim"),
    path("accounts/me/claim/<str:token>/", donor_views.claim_confirm, name="claim_confirm"),
    path(
        "accounts/me/gifts/<str:tracking_code>/receipt.pdf",
        donor_views.receipt,
        name="receipt",
    ),
    path(
        "accounts/me/monthly/<int:pk>/cancel/",
        donor_views.recurring_cancel,
        name="recurring_cancel",
    ),
    path("give/monthly/<str:kind>/<str:ref>/", donor_views.monthly, name="monthly"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("complaints/", views.complaint_file, name="complaint_file"),
    path("complaints/done/", views.complaint_done, name="complaint_done"),
    path("complaints/follow/", views.complaint_follow, name="complaint_follow"),
    path("complaints/statistics/", views.complaint_statistics, name="complaint_statistics"),
    path("accounts/2fa/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/2fa/setup/", views.two_factor_setup, name="two_factor_setup"),
    path(
        "accounts/2fa/backup-codes/", views.two_factor_backup_codes, name="two_factor_backup_codes"
    ),
    path("accounts/2fa/devices/", views.two_factor_devices, name="two_factor_devices"),
    path(
        "accounts/2fa/devices/<int:pk>/remove/",
        views.two_factor_device_remove,
        name="two_factor_device_remove",
    ),
    path("accounts/2fa/reset/<int:user_id>/", views.two_factor_reset, name="two_factor_reset"),
]

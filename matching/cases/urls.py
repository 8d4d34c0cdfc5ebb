from django.urls import path

from . import views

urlpatterns = [
    path("apply/", views.apply, name="cases_apply"),
    path("apply/done/", views.apply_done, name="cases_apply_done"),
    path("apply/status/", views.status, name="cases_status"),
]

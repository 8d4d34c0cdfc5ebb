from django.urls import path

from . import discovery_views, views

urlpatterns = [
    path("apply/", views.apply, name="cases_apply"),
    path("apply/done/", views.apply_done, name="cases_apply_done"),
    path("apply/status/", views.status, name="cases_status"),
]

urlpatterns += [
    path("report/", discovery_views.report, name="report"),
    path("report/done/", discovery_views.report_done, name="report_done"),
    path("report/follow/", discovery_views.report_follow, name="report_follow"),
]

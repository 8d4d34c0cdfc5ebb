from django.urls import path

from . import views

urlpatterns = [
    path("join/organization/", views.join, name="join_organization"),
    path("join/organization/done/", views.join_done, name="join_organization_done"),
    path(
        "join/organization/confirm/<str:token>/",
        views.join_confirm,
        name="join_organization_confirm",
    ),
    path("organization/", views.home, name="organization_home"),
    path("organization/vetting/answer/", views.answer, name="organization_answer"),
    path("organization/vetting/renew/", views.renew, name="organization_renew"),
    path("organization/proposals/<int:pk>/", views.respond, name="organization_respond"),
    path("organization/projects/new/", views.project_new, name="organization_project_new"),
    path(
        "organization/projects/<int:pk>/edit/",
        views.project_edit,
        name="organization_project_edit",
    ),
    path("organization/deliveries/new/", views.delivery_new, name="organization_delivery_new"),
    path("organization/reports/<int:pk>/", views.periodic_report, name="organization_report"),
    path(
        "organizations/<int:pk>/deliveries/",
        views.deliveries,
        name="organization_deliveries",
    ),
]

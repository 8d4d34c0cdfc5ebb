from django.urls import path

from . import views

urlpatterns = [
    path("join/volunteer/", views.join, name="join_volunteer"),
    path("join/volunteer/sent/", views.join_sent, name="join_volunteer_sent"),
    path("join/volunteer/resend/", views.join_resend, name="join_volunteer_resend"),
    path("join/volunteer/confirm/<str:token>/", views.join_confirm, name="join_volunteer_confirm"),
    path("volunteer/", views.home, name="volunteer_home"),
    path("volunteer/proposals/<int:pk>/", views.proposal, name="volunteer_proposal"),
    path("volunteer/tasks/<int:pk>/", views.task, name="volunteer_task"),
    path("volunteer/profile/", views.profile, name="volunteer_profile"),
    path("volunteer/team/", views.team, name="volunteer_team"),
    path("volunteer/team/leave/", views.team_leave, name="volunteer_team_leave"),
    path("volunteer-team/requests/", views.team_requests, name="volunteer_team_requests"),
    path("volunteer/consent/", views.consent, name="volunteer_consent"),
    path("volunteer/certificates/", views.certificates, name="volunteer_certificates"),
    path(
        "volunteer/certificates/<str:code>.pdf",
        views.certificate_pdf_view,
        name="volunteer_certificate_pdf",
    ),
    path("volunteer/verify/", views.certificate_verify, name="volunteer_certificate_verify"),
]

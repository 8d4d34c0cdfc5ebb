"""The public giving pages, mounted at /give/ (site/config/urls.py)."""

from django.urls import path

from . import giving_views

app_name = "giving"

urlpatterns = [
    path("thanks/<str:tracking_code>/", giving_views.thanks, name="thanks"),
    path("pledge/<str:tracking_code>/print/", giving_views.pledge_print, name="pledge_print"),
    path("cancelled/<str:tracking_code>/", giving_views.cancelled, name="cancelled"),
    path("<str:kind>/<str:ref>/", giving_views.give, name="give"),
]

from django.urls import path

from . import views

app_name = "funding"

urlpatterns = [
    path("track/", views.track_lookup, name="track_lookup"),
    path("track/<str:tracking_code>/", views.track, name="track"),
    path("confirm/", views.confirm, name="confirm"),
    path("transparency/", views.transparency, name="transparency"),
    path("transparency.csv", views.transparency_csv, name="transparency_csv"),
]

from django.urls import path

from . import views
from .api import api

urlpatterns = [
    path("apply/", views.apply, name="cases_apply"),
    path("apply/done/", views.apply_done, name="cases_apply_done"),
    path("apply/status/", views.status, name="cases_status"),
    path("api/v1/", api.urls),
]

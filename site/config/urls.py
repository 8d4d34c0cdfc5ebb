from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from matching.directory import views as directory_views

from .api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/landing/", directory_views.landing, name="landing"),
    path("accounts/me/", directory_views.my_account, name="my_account"),
    # Before the admin: the scoped site-history report replaces Wagtail's.
    path("", include("matching.audit.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz/", directory_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("", include("matching.cases.urls")),
    path("", include("matching.governance.urls")),
    path("payments/", include("matching.payments.urls")),
    path("give/", include("matching.payments.giving_urls")),
    path("", include("matching.payments.donor_urls")),
    path("", include("matching.funding.urls")),
    path("", include("matching.organizations.urls")),
    path("", include("matching.volunteering.urls")),
    path("", include("matching.notifications.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from cooperation import views
from cooperation.accounts import views as account_views
from cooperation.api.docs import ApiDocsView
from cooperation.health import healthz

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("cooperation.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("partners/", include("partners.urls")),
    path("programmes/", include("programs.urls")),
    path("finance/", include("programs.finance.urls")),
    path("portal/finance/", include("programs.finance.portal_urls")),
    path("shipments/", include("programs.shipments.urls")),
    path("portal/shipments/", include("programs.shipments.portal_urls")),
    path("scholarships/", include("programs.scholarships.urls")),
    path("portal/scholarships/", include("programs.scholarships.portal_urls")),
    path("portal/", include("programs.portal.urls")),
    path("dashboard/", include("programs.reporting.urls")),
    path("messages/", include("core.outbox.urls")),
    path("api/v1/", include("cooperation.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/login/", account_views.admin_login),  # one login page, with its code step, for everyone
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Kerjasama"
admin.site.site_title = "Kerjasama"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

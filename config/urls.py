"""Every address of Kerjasama: the kernel's own, then what each module registered (cooperation/registry.py)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from config.health import healthz
from cooperation import autocomplete, registry, views
from cooperation.accounts import views as account_views
from cooperation.api.docs import ApiDocsView

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("waiting/", views.waiting, name="waiting"),
    path("waiting/count/", views.waiting_count, name="waiting_count"),
    path("search/", views.search, name="search"),
    path("autocomplete/<slug:kind>/", autocomplete.autocomplete, name="autocomplete"),
    path("accounts/", include("cooperation.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    *(path(module.prefix, include(module.urlconf)) for module in registry.url_includes()),
    path("messages/", include("cooperation.outbox.urls")),
    path("exports/", include("cooperation.exports.urls")),
    path("api/v1/", include("config.api_urls")),
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

from django.urls import path

from programs.results import portal_views

app_name = "results_portal"
urlpatterns = [
    path("", portal_views.due, name="due"),
    path("periods/<int:pk>/report/", portal_views.report, name="report"),
    path("reports/<int:pk>/", portal_views.report_detail, name="report_detail"),
    path("reports/<int:pk>/evidence/", portal_views.evidence_add, name="evidence_add"),
    path("evidence/<int:pk>/", portal_views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/remove/", portal_views.evidence_remove, name="evidence_remove"),
]

from django.urls import path

from cooperation.pages import record_paths
from programs.scholarships import portal_views

app_name = "scholarships_portal"
urlpatterns = [
    path("", portal_views.scholar_list, name="scholar_list"),
    path("scholars/<int:pk>/", portal_views.scholar_detail, name="scholar_detail"),
    path("scholars/<int:pk>/respond/", portal_views.scholar_respond, name="scholar_respond"),
    path("scholars/<int:pk>/enrol/", portal_views.scholar_enrol, name="scholar_enrol"),
    path("scholars/<int:pk>/report/", portal_views.scholar_report, name="scholar_report"),
    path("scholars/<int:pk>/outcome/<int:milestone>/", portal_views.scholar_outcome, name="scholar_outcome"),
    path("reports/<int:pk>/", portal_views.report_detail, name="report_detail"),
    *record_paths("activities/", portal_views, "activity", "activity_{page}", pages=("list", "detail")),
    path("activities/<int:pk>/report/", portal_views.activity_report, name="activity_report"),
]

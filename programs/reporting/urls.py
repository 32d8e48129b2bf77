from django.urls import path

from programs.reporting import iati, views

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("programmes.csv", views.programmes_csv, name="programmes_csv"),
    path("iati/", iati.iati_overview, name="iati"),
    path("iati/activities.xml", iati.iati_activities, name="iati_activities"),
    path("iati/organisation.xml", iati.iati_organisation, name="iati_organisation"),
]

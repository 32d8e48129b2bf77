from django.urls import path

from programs.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("programmes.csv", views.programmes_csv, name="programmes_csv"),
]

from django.urls import path

from cooperation.exports import views

app_name = "exports"
urlpatterns = [
    path("", views.job_list, name="jobs"),
    path("<uuid:pk>/", views.job_page, name="job"),
    path("<uuid:pk>/status/", views.job_status, name="job_status"),
    path("<uuid:pk>/download/", views.job_download, name="job_download"),
    path("<str:source>.<str:file_format>", views.export, name="export"),
]

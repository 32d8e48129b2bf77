from django.urls import path

from cooperation.exports import saved_views, views

app_name = "exports"
urlpatterns = [
    path("", views.job_list, name="jobs"),
    path("<uuid:pk>/", views.job_page, name="job"),
    path("<uuid:pk>/status/", views.job_status, name="job_status"),
    path("<uuid:pk>/download/", views.job_download, name="job_download"),
    path("views/", saved_views.saved_views, name="saved_views"),
    path("views/save/", saved_views.saved_view_create, name="saved_view_create"),
    path("views/<int:pk>/rename/", saved_views.saved_view_rename, name="saved_view_rename"),
    path("views/<int:pk>/delete/", saved_views.saved_view_delete, name="saved_view_delete"),
    path("views/<int:pk>/schedule/", saved_views.schedule_save, name="schedule"),
    path("views/<int:pk>/schedule/delete/", saved_views.schedule_delete, name="schedule_delete"),
    path("unsubscribe/<str:token>/", saved_views.unsubscribe, name="unsubscribe"),
    path("<str:source>.<str:file_format>", views.export, name="export"),
]

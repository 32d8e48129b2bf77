from django.urls import path

from cooperation.pages import record_paths
from programs import views

app_name = "programs"
urlpatterns = [
    *record_paths("", views, "programme"),
    path("<int:pk>/updates/", views.programme_post_update, name="post_update"),
]

from django.urls import path

from programs.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme"),
    path("programmes/<int:pk>/updates/", views.post_update, name="post_update"),
]

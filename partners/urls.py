from django.urls import path

from cooperation.pages import record_paths
from partners import views

app_name = "partners"
urlpatterns = [
    *record_paths("", views, "organisation"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("<int:pk>/contacts/<int:contact_pk>/edit/", views.contact_edit, name="contact_edit"),
]

from django.urls import path

from cooperation.reference import views

app_name = "rates"
urlpatterns = [
    path("", views.rate_list, name="list"),
    path("new/", views.rate_create, name="create"),
    path("import/", views.rate_import, name="import"),
    path("<int:pk>/edit/", views.rate_edit, name="edit"),
]

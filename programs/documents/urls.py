from django.urls import path

from programs.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("new/", views.upload, name="upload"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/versions/", views.add_version, name="add_version"),
    path("<int:pk>/edit/", views.change, name="change"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("versions/<int:pk>/download/", views.download, name="download"),
]

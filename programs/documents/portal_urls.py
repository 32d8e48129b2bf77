from django.urls import path

from programs.documents import portal_views

app_name = "documents_portal"
urlpatterns = [
    path("", portal_views.document_list, name="list"),
    path("<int:pk>/", portal_views.document_detail, name="detail"),
    path("versions/<int:pk>/download/", portal_views.download, name="download"),
]

from django.urls import path

from cooperation.pages import move_paths
from programs.scholarships.views import applications as views

# The moves whose URL segment is not their name with dashes.
SEGMENTS = {"mark_eligible": "eligible", "mark_ineligible": "ineligible", "attachment_add": "attachments/new"}

urlpatterns = [
    path("applications/", views.application_list, name="application_list"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    *move_paths(
        "applications/<int:pk>/{segment}/", views.application_move, views.MOVES, "application_{move}", SEGMENTS
    ),
]

from django.urls import path

from cooperation.pages import move_paths
from programs.scholarships.views import applications as views

# Each move on an application: URL segment → key of ``views.MOVES`` (the URL name is "application_<key>").
MOVE_PATHS = {
    "eligible": "mark_eligible",
    "ineligible": "mark_ineligible",
    "shortlist": "shortlist",
    "propose-award": "propose_award",
    "approve-award": "approve_award",
    "reject-award": "reject_award",
    "accept-award": "accept_award",
    "decline-award": "decline_award",
    "withdraw": "withdraw",
    "terminate": "terminate",
    "complete": "complete",
    "attachments/new": "attachment_add",
}

urlpatterns = [
    path("applications/", views.application_list, name="application_list"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    *move_paths("applications/<int:pk>/{segment}/", views.application_move, MOVE_PATHS, name="application_{move}"),
]

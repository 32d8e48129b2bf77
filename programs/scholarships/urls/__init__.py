"""The officers' and reviewers' scholarship pages (mounted at /scholarships/), one module per part."""

from programs.scholarships.urls import activities, alumni, applications, calls, reviews, stipends

app_name = "scholarships"
urlpatterns = [
    *calls.urlpatterns,
    *applications.urlpatterns,
    *reviews.urlpatterns,
    *stipends.urlpatterns,
    *activities.urlpatterns,
    *alumni.urlpatterns,
]

from django.urls import path

from programs.scholarships.views import alumni

urlpatterns = [
    path("alumni/", alumni.outcome_list, name="outcome_list"),
    path("alumni/<int:pk>/", alumni.outcome_detail, name="outcome_detail"),
    path("alumni/<int:pk>/lock/", alumni.outcome_lock, name="outcome_lock"),
    path("alumni/invitations/<int:pk>/renew/", alumni.invitation_renew, name="invitation_renew"),
    # The alumnus's private link: no login, the key is the credential.
    path("alumni/outcome/<str:key>/", alumni.alumni_link, name="alumni_link"),
]

from django.urls import path

from programs.scholarships.views import reviews

urlpatterns = [
    path("calls/<int:pk>/ranking/", reviews.call_ranking, name="call_ranking"),
    path("calls/<int:pk>/reviewers/", reviews.call_reviewers, name="call_reviewers"),
    path(
        "applications/<int:pk>/reviewers/assign/",
        reviews.application_review_assign,
        name="application_review_assign",
    ),
    path("reviews/", reviews.review_list, name="review_list"),
    path("reviews/<int:pk>/", reviews.review_detail, name="review_detail"),
    path("reviews/<int:pk>/conflict/", reviews.review_conflict, name="review_conflict"),
    path("reviews/<int:pk>/unassign/", reviews.review_unassign, name="review_unassign"),
    path("awards/", reviews.award_list, name="award_list"),
]

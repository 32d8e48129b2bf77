"""Review assignments, scores and conflicts of interest over the API."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions

from cooperation.api.exceptions import service_errors
from cooperation.api.permissions import perm_on_visible_record
from cooperation.api.viewsets import (
    CreateByService,
    RecordViewSet,
    documented,
    move_action,
    record_action,
    validated_input,
    writes,
)
from cooperation.roles import Perm
from programs.scholarships import selectors, services
from programs.scholarships.api.filters import ReviewFilter
from programs.scholarships.api.serializers import (
    ConflictSerializer,
    ReviewAssignSerializer,
    ReviewSerializer,
    ScoresSerializer,
)
from programs.scholarships.models import Review


def _score_errors(error: exceptions.ValidationError) -> exceptions.ValidationError:
    """The service names a criterion's error ``criterion_<id>``; the client sent it as ``scores[<id>]``."""
    detail = dict(error.detail)
    scores = {key.removeprefix("criterion_"): detail.pop(key) for key in list(detail) if key.startswith("criterion_")}
    if scores:
        detail["scores"] = scores
    return exceptions.ValidationError(detail)


@documented(
    list=(
        _("List review assignments"),
        _("Officers, managers and auditors see every assignment; a reviewer sees their own."),
    ),
    retrieve=_("Show a review with its scores"),
    create=_("Assign a reviewer to an application under review"),
)
class ReviewViewSet(CreateByService, RecordViewSet):
    model = Review
    serializer_class = ReviewSerializer
    write_serializer_classes = writes(create=ReviewAssignSerializer)
    filterset_class = ReviewFilter

    selectors = (selectors.review_list, selectors.visible_review_get)
    create_service = (services.review_assign, "assigned_by")

    @record_action(
        permission=perm_on_visible_record(Perm.REVIEW_APPLICATION),
        output=ReviewSerializer,
        body=ScoresSerializer,
        summary=_("Score every criterion of the rubric"),
        description=_(
            "Only the reviewer assigned. Scoring again while the application is under review replaces the scores; "
            "refused once a conflict of interest is declared."
        ),
    )
    def score(self, request, *args, **kwargs):
        review = self.get_object()
        data = validated_input(self, ScoresSerializer)
        try:
            with service_errors():
                services.review_submit_scores(review=review, reviewer=request.user, **data)
        except exceptions.ValidationError as error:
            raise _score_errors(error) from error
        return self.detail_response(review)

    declare_conflict = move_action(
        services.review_declare_conflict,
        "reviewer",
        ConflictSerializer,
        permission=Perm.REVIEW_APPLICATION,
        summary=_("Declare a conflict of interest"),
        description=_("The reviewer is recused; any scores they gave no longer count."),
    )

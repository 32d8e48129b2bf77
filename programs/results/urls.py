"""The officers' results pages, mounted at /results/."""

from django.urls import path

from cooperation.pages import move_paths
from programs.results import views

app_name = "results"

urlpatterns = [
    path("programmes/<int:pk>/", views.framework, name="framework"),
    path("programmes/<int:pk>/plan/", views.plan_set, name="plan_set"),
    path("programmes/<int:pk>/results/new/", views.result_create, name="result_create"),
    path("results/<int:pk>/edit/", views.result_edit, name="result_edit"),
    path("results/<int:pk>/remove/", views.result_remove, name="result_remove"),
    path("indicators/<int:pk>/remove/", views.indicator_remove, name="indicator_remove"),
    *(
        path(f"results/<int:pk>/{direction}/", views.result_move, {"direction": direction}, name=f"result_{direction}")
        for direction in ("up", "down")
    ),
    path("results/<int:pk>/indicators/new/", views.indicator_create, name="indicator_create"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/targets/", views.indicator_targets, name="indicator_targets"),
    *(
        path(
            f"indicators/<int:pk>/{direction}/",
            views.indicator_move,
            {"direction": direction},
            name=f"indicator_{direction}",
        )
        for direction in ("up", "down")
    ),
    path("reports/", views.review_list, name="review_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    *move_paths("reports/<int:pk>/{segment}/", views.report_move, views.MOVES, "report_{move}"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("periods/<int:period>/partners/<int:organisation>/report/", views.report_enter, name="report_enter"),
]

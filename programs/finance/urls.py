from django.urls import path

from cooperation.pages import move_paths, record_paths
from programs.finance import views

app_name = "finance"

urlpatterns = [
    *record_paths("loans/", views, "loan", name="loan_{page}"),
    path("loans/preview/", views.loan_preview, name="loan_preview"),
    *move_paths("loans/<int:pk>/{segment}/", views.loan_move, views.LOAN_PAGE_MOVES, "loan_{move}"),
    path("loans/<int:pk>/repayments/new/", views.repayment_create, name="loan_repayment_create"),
    *move_paths(
        "loans/<int:pk>/repayments/<int:repayment_pk>/{segment}/",
        views.repayment_move,
        views.REPAYMENT_MOVES,
        name="loan_repayment_{move}",
    ),
    path("loans/<int:pk>/restructure/", views.loan_restructure, name="loan_restructure"),
    path("restructurings/<int:pk>/", views.restructuring_detail, name="restructuring_detail"),
    *move_paths(
        "restructurings/<int:pk>/{segment}/",
        views.restructuring_move,
        views.RESTRUCTURING_PAGE_MOVES,
        "restructuring_{move}",
    ),
    *record_paths("moratoria/", views, "moratorium", name="moratorium_{page}", pages=("list", "create", "detail")),
    *move_paths(
        "moratoria/<int:pk>/{segment}/", views.moratorium_move, views.MORATORIUM_PAGE_MOVES, "moratorium_{move}"
    ),
    *record_paths("grants/", views, "grant", name="grant_{page}", pages=("list", "create", "detail")),
    *move_paths(
        "grants/<int:pk>/tranches/<int:tranche_pk>/{segment}/",
        views.tranche_move,
        views.TRANCHE_MOVES,
        name="grant_tranche_{move}",
    ),
]

from django.urls import path

from cooperation.pages import move_paths
from programs.finance import views

app_name = "finance"

# Each move on a loan: URL segment → key of ``views.LOAN_PAGE_MOVES`` (the URL name is "loan_<key>").
LOAN_MOVE_PATHS = {
    "submit": "submit",
    "approve": "approve",
    "reject": "reject",
    "disburse": "disburse",
    "cancel": "cancel",
    "write-off": "write_off",
}
urlpatterns = [
    path("loans/", views.loan_list, name="loan_list"),
    path("loans/new/", views.loan_create, name="loan_create"),
    path("loans/preview/", views.loan_preview, name="loan_preview"),
    path("loans/<int:pk>/", views.loan_detail, name="loan_detail"),
    path("loans/<int:pk>/edit/", views.loan_edit, name="loan_edit"),
    *move_paths("loans/<int:pk>/{segment}/", views.loan_move, LOAN_MOVE_PATHS, name="loan_{move}"),
    path("loans/<int:pk>/repayments/new/", views.repayment_create, name="loan_repayment_create"),
    *move_paths(
        "loans/<int:pk>/repayments/<int:repayment_pk>/{segment}/",
        views.repayment_move,
        {move: move for move in views.REPAYMENT_MOVES},
        name="loan_repayment_{move}",
    ),
    path("grants/", views.grant_list, name="grant_list"),
    path("grants/new/", views.grant_create, name="grant_create"),
    path("grants/<int:pk>/", views.grant_detail, name="grant_detail"),
    *move_paths(
        "grants/<int:pk>/tranches/<int:tranche_pk>/{segment}/",
        views.tranche_move,
        {move: move for move in views.TRANCHE_MOVES},
        name="grant_tranche_{move}",
    ),
]

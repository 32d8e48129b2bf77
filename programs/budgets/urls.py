"""The officers' budget pages, mounted at /budgets/."""

from django.urls import path

from programs.budgets import views

app_name = "budgets"

urlpatterns = [
    path("programmes/<int:pk>/", views.programme, name="programme"),
    path("programmes/<int:pk>/lines/new/", views.line_create, name="line_create"),
    path("programmes/<int:pk>/expenditures/new/", views.expenditure_create, name="expenditure_create"),
    path("lines/<int:pk>/", views.line_detail, name="line_detail"),
    path("lines/<int:pk>/edit/", views.line_edit, name="line_edit"),
    path("expenditures/", views.expenditure_list, name="expenditure_list"),
    path("expenditures/<int:pk>/", views.expenditure_detail, name="expenditure_detail"),
    path("expenditures/<int:pk>/edit/", views.expenditure_edit, name="expenditure_edit"),
    path("expenditures/<int:pk>/receipt/", views.receipt_download, name="receipt_download"),
]

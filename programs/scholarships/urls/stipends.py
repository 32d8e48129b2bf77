from django.urls import path

from programs.scholarships.views import stipends

urlpatterns = [
    path("stipends/", stipends.tranche_list, name="tranche_list"),
    path("stipends/<int:pk>/approve/", stipends.tranche_approve, name="tranche_approve"),
    path("stipends/<int:pk>/pay/", stipends.tranche_pay, name="tranche_pay"),
    path("stipends/<int:pk>/cancel/", stipends.tranche_cancel, name="tranche_cancel"),
    path("reports/", stipends.report_list, name="report_list"),
    path("reports/<int:pk>/", stipends.report_detail, name="report_detail"),
    path("reports/<int:pk>/accept/", stipends.report_accept, name="report_accept"),
    path("reports/<int:pk>/return/", stipends.report_return, name="report_return"),
]

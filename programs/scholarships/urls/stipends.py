from django.urls import path

from cooperation.pages import move_paths, record_paths
from programs.scholarships.views import stipends

urlpatterns = [
    path("stipends/", stipends.tranche_list, name="tranche_list"),
    *move_paths("stipends/<int:pk>/{segment}/", stipends.tranche_move, stipends.TRANCHE_MOVES, "tranche_{move}"),
    *record_paths("reports/", stipends, "report", "report_{page}", pages=("list", "detail")),
    path("reports/<int:pk>/accept/", stipends.report_accept, name="report_accept"),
    path("reports/<int:pk>/return/", stipends.report_return, name="report_return"),
]

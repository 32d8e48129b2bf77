app_name = "results_portal"
urlpatterns = []

from rest_framework.routers import DefaultRouter

router = DefaultRouter(use_regex_path=False)

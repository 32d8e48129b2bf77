from rest_framework.routers import SimpleRouter

router = SimpleRouter(use_regex_path=False)

"""Admin for every model of the results module: the framework saved through the services, reports read-only."""

from programs.results.admin import framework, reports

__all__ = ["framework", "reports"]

"""What this module shows on other pages, registered in ``apps.py``; the portal's panels are in ``portal_panels``."""

from programs.results.portal_panels import portal_home, portal_programme

__all__ = ["portal_home", "portal_programme", "programme_detail"]


def programme_detail(request, programme):
    return None

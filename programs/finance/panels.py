"""What this module shows on other pages, registered in ``apps.py``."""


def portal_home(request, record=None) -> dict:
    """The partner portal's home: a link to this module's pages; the panel's template counts what waits."""
    return {}

"""What this module shows on other pages, registered in ``apps.py``."""


def portal_home(request, record=None):
    return None


def programme_detail(request, programme):
    return None


def portal_programme(request, programme):
    return None

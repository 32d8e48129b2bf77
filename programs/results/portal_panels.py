"""What this module shows on the partner portal's pages."""


def portal_home(request, record=None):
    return None


def portal_programme(request, programme):
    return None

from cooperation.roles import Perm


def navigation(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    return {
        "nav": {
            "workspace": user.has_perm(Perm.ACCESS_WORKSPACE),
            "portal": user.has_perm(Perm.ACCESS_PORTAL),
            "dashboard": user.has_perm(Perm.VIEW_DASHBOARD),
            "loans": user.has_perm(Perm.VIEW_LOAN),
            "grants": user.has_perm(Perm.VIEW_GRANT),
            "shipments": user.has_perm(Perm.VIEW_SHIPMENT),
            "scholarships": user.has_perm(Perm.VIEW_CALL),
            "reviews": user.has_perm(Perm.REVIEW_APPLICATION),
            "activities": user.has_perm(Perm.VIEW_EXCHANGE_ACTIVITY),
            "results": user.has_perm(Perm.VIEW_RESULTS_REPORT),
            "expenditures": user.has_perm(Perm.VIEW_EXPENDITURE),
            "rates": user.has_perm(Perm.VIEW_EXCHANGE_RATE),
            "documents": user.has_perm(Perm.VIEW_DOCUMENT),
            "admin": user.is_staff,
            "waiting": user.has_perm(Perm.ACCESS_WORKSPACE) or user.has_perm(Perm.ACCESS_PORTAL),
        }
    }

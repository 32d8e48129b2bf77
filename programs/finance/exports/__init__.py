"""The finance lists as files (see cooperation.exports): loans, repayments, grants and their tranches in the
workspace, and a partner organisation's own loans and grants in the portal, each as its page shows them."""

from programs.finance.exports.grants import grants, tranches
from programs.finance.exports.loans import loans, repayments
from programs.finance.exports.portal import portal_grants, portal_loans

__all__ = ["grants", "loans", "portal_grants", "portal_loans", "repayments", "tranches"]

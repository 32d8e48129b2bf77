"""The finance lists as files (see cooperation.exports): loans, repayments, grants and their tranches in the
workspace, and a partner organisation's own loans and grants in the portal, each as its page shows them."""

from programs.finance.exports.grants import grants, tranches
from programs.finance.exports.loans import loans, repayments

__all__ = ["grants", "loans", "repayments", "tranches"]

"""Reads of loans, repayments, grants and notifications, scoped to who asks.

Staff who see everything read every record; a partner user reads only the
loans their organisation borrows, the grants it receives and its own
notifications. Money figures are aggregated in SQL, so a page costs the same
number of queries for five loans as for five thousand.
"""

from programs.finance.selectors.ageing import AGEING_BUCKETS, AgeingBucket, CurrencyAgeing, arrears_ageing
from programs.finance.selectors.common import UNPAID
from programs.finance.selectors.dac import DacTest, dac_rules, loan_dac_test
from programs.finance.selectors.figures import (
    CurrencyConcessionality,
    PortfolioCurrency,
    concessionality,
    grant_element_of,
    loan_portfolio,
    with_grant_elements,
)
from programs.finance.selectors.grants import grant_get, grant_list, notification_list, tranche_get, tranche_list
from programs.finance.selectors.loans import (
    SCHEDULE_SHOWN,
    ScheduleSummary,
    loan_get,
    loan_grant_element,
    loan_history,
    loan_list,
    loan_reminders,
    loan_reminders_with_emails,
    loan_schedule,
    loan_schedule_summary,
    pending_repayments,
    repayment_get,
    repayment_list,
    restructuring_history,
)
from programs.finance.selectors.portfolio import (
    CurrencyMonths,
    CurrencyPortfolio,
    MonthAmounts,
    portfolio_summary,
    repayments_by_month,
)
from programs.finance.selectors.restructurings import (
    AppliedTotals,
    Comparison,
    applied_totals,
    moratorium_get,
    moratorium_list,
    restructuring_comparison,
    restructuring_get,
    restructuring_list,
)

__all__ = [
    "AppliedTotals",
    "applied_totals",
    "AGEING_BUCKETS",
    "AgeingBucket",
    "CurrencyAgeing",
    "arrears_ageing",
    "DacTest",
    "dac_rules",
    "loan_dac_test",
    "SCHEDULE_SHOWN",
    "ScheduleSummary",
    "UNPAID",
    "CurrencyMonths",
    "CurrencyPortfolio",
    "MonthAmounts",
    "CurrencyConcessionality",
    "PortfolioCurrency",
    "concessionality",
    "grant_element_of",
    "grant_get",
    "grant_list",
    "loan_get",
    "loan_grant_element",
    "loan_history",
    "loan_list",
    "loan_portfolio",
    "loan_reminders",
    "loan_reminders_with_emails",
    "loan_schedule",
    "loan_schedule_summary",
    "notification_list",
    "pending_repayments",
    "portfolio_summary",
    "repayment_get",
    "repayment_list",
    "repayments_by_month",
    "Comparison",
    "restructuring_comparison",
    "restructuring_get",
    "restructuring_history",
    "restructuring_list",
    "moratorium_get",
    "moratorium_list",
    "tranche_get",
    "tranche_list",
    "with_grant_elements",
]

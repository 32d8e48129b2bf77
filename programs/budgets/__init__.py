"""Budgets: each programme's budget lines by category and period, the expenditures officers record, and the actuals
the modules report (loans disbursed, tranches and stipends paid, goods dispatched), set against each line in its own
currency and in the organisation's reporting currency."""

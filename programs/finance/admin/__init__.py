"""Admin for loans, their schedules and repayments, reminders, grants and tranches.

Lists come from the finance selectors, so a user sees here what they see
everywhere else. Writes go through the finance services: a draft loan is
created and edited with loan_create / loan_update, a repayment is recorded with
repayment_record, a grant is created with grant_create. Every status change is
an admin action calling its service, one record at a time, and a refusal is
reported per record. Schedules, allocations and reminder logs are written only
by the services, so they are read-only here; installments and allocations show
their change history (payments applied, reversals with who, when and why).
"""

from programs.finance.admin import dac, grants, loans, repayments, restructurings  # noqa: F401  (each registers its models)

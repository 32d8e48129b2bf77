"""A programme's grants and remittances in its IATI activity.

A grant is an outgoing commitment, on the day it was recorded, of what is still meant to be paid (its tranches not
cancelled); each paid tranche is a disbursement on its payment day; each tranche not cancelled is a planned
disbursement on the day first planned for it (paid ones too: the plan as made stays beside what was paid), all to
the grant's recipient, as standard grants.
"""

from collections import defaultdict
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.iati import Part
from programs.finance.iati.elements import STANDARD_GRANT, TransactionType, planned_disbursement, transaction
from programs.finance.models import Tranche, TrancheStatus


def grant_parts(programme_ids) -> list[Part]:
    """The grants' commitments, disbursements and planned disbursements: one query."""
    tranches = list(
        Tranche.objects.filter(grant__programme_id__in=programme_ids)
        .select_related("grant__recipient")
        .order_by("grant__programme_id", "grant__created_at", "grant_id", "number")
    )
    by_grant = defaultdict(list)
    for tranche in tranches:
        by_grant[tranche.grant_id].append(tranche)
    planned, dated = [], []
    for grant_tranches in by_grant.values():
        grant = grant_tranches[0].grant
        kept = [tranche for tranche in grant_tranches if tranche.status != TrancheStatus.CANCELLED]
        committed = sum((tranche.amount for tranche in kept), Decimal(0))
        names = {"reference": grant.reference}
        if committed > 0:
            on = timezone.localdate(grant.created_at)
            commitment = transaction(
                code=TransactionType.COMMITMENT,
                on=on,
                amount=committed,
                currency=grant.currency_id,
                description=_("Grant %(reference)s agreed") % names,
                finance_type=STANDARD_GRANT,
                receiver=grant.recipient,
                ref=grant.reference,
            )
            dated.append((grant.programme_id, on, commitment))
        for tranche in kept:
            planned.append(
                Part(
                    grant.programme_id,
                    planned_disbursement(
                        on=tranche.planned_on,
                        amount=tranche.amount,
                        currency=grant.currency_id,
                        receiver=grant.recipient,
                    ),
                )
            )
            if tranche.status == TrancheStatus.PAID:
                disbursement = transaction(
                    code=TransactionType.DISBURSEMENT,
                    on=tranche.paid_on,
                    amount=tranche.amount,
                    currency=grant.currency_id,
                    description=_("Tranche %(number)s of grant %(reference)s paid")
                    % {**names, "number": tranche.number},
                    finance_type=STANDARD_GRANT,
                    receiver=grant.recipient,
                    ref=f"{grant.reference}-{tranche.number}",
                )
                dated.append((grant.programme_id, tranche.paid_on, disbursement))
    return planned + [Part(programme_id, element) for programme_id, _on, element in sorted(dated, key=lambda e: e[:2])]

"""Record pages and hubs against the record and the rows its page lists, fetched by hand."""

# The statements are put together from table names (the models' metadata) and this file's own SQL; every value
# goes in as a parameter.
# ruff: noqa: S608

from benchmarks.harness_entries.common import (
    Context,
    Entry,
    after_a_change,
    after_own_change,
    first_id,
    record_floor,
    refreshed_by_the_worker,
    table,
)


def record_entries(ctx: Context, cursor) -> list[Entry]:
    """A loan, a shipment and an application (records), a programme and a partner (hubs): the record's row and
    the rows its page lists. A loan's and a shipment's page and a hub are timed read back, after someone else's change
    (shown as last computed while the worker refreshes it), after its reader's own change (computed), and as the
    worker's refresh; an application's page (never kept: personal data) as computed for each view."""
    from partners.views import PARTNER_HUB
    from programs.finance.views.loans import LOAN_PAGE
    from programs.shipments.views.detail import SHIPMENT_PAGE
    from programs.views import PROGRAMME_HUB

    entries = []
    loan = first_id(cursor, "finance.Loan", "EXISTS (SELECT 1 FROM finance_repayment r WHERE r.loan_id = t.id)")
    if loan is None:
        loan = first_id(cursor, "finance.Loan")
    if loan is not None:
        floor = record_floor(
            [
                (
                    f"SELECT l.*, b.name, p.code FROM {table('finance.Loan')} l "
                    f"JOIN {table('partners.Organisation')} b ON b.id = l.borrower_id "
                    f"JOIN {table('programs.Programme')} p ON p.id = l.programme_id WHERE l.id = %s",
                    (loan,),
                ),
                (f"SELECT * FROM {table('finance.Installment')} WHERE loan_id = %s ORDER BY number", (loan,)),
                (
                    f"SELECT * FROM {table('finance.Repayment')} WHERE loan_id = %s "
                    f"ORDER BY paid_on DESC, created_at DESC",
                    (loan,),
                ),
            ]
        )
        url = f"/finance/loans/{loan}/"
        entries.append(Entry("loan page", "record", lambda url=url: ctx.get(url), floor, url))
        entries.append(after_a_change("loan page", "record", ctx, floor, url))
        entries.append(after_own_change("loan page", "record", ctx, floor, url))
        entries.append(refreshed_by_the_worker("loan page", "job", ctx, floor, url, LOAN_PAGE))
    shipment = first_id(cursor, "shipments.Shipment", order="t.id DESC")
    if shipment is not None:
        floor = record_floor(
            [
                (
                    f"SELECT s.*, c.name, p.code FROM {table('shipments.Shipment')} s "
                    f"JOIN {table('partners.Organisation')} c ON c.id = s.consignee_id "
                    f"JOIN {table('programs.Programme')} p ON p.id = s.programme_id WHERE s.id = %s",
                    (shipment,),
                ),
                (f"SELECT * FROM {table('shipments.ShipmentItem')} WHERE shipment_id = %s ORDER BY id", (shipment,)),
                (
                    f"SELECT * FROM {table('shipments.TrackingEvent')} WHERE shipment_id = %s ORDER BY occurred_at",
                    (shipment,),
                ),
                (
                    f"SELECT * FROM {table('shipments.Receipt')} WHERE shipment_id = %s ORDER BY received_on",
                    (shipment,),
                ),
            ]
        )
        url = f"/shipments/{shipment}/"
        entries.append(Entry("shipment page", "record", lambda url=url: ctx.get(url), floor, url))
        entries.append(after_a_change("shipment page", "record", ctx, floor, url))
        entries.append(after_own_change("shipment page", "record", ctx, floor, url))
        entries.append(refreshed_by_the_worker("shipment page", "job", ctx, floor, url, SHIPMENT_PAGE))
    application = first_id(cursor, "scholarships.Application", order="t.id DESC")
    if application is not None:
        floor = record_floor(
            [
                (
                    f"SELECT a.*, c.title FROM {table('scholarships.Application')} a "
                    f"JOIN {table('scholarships.Call')} c ON c.id = a.call_id WHERE a.id = %s",
                    (application,),
                ),
                (f"SELECT * FROM {table('scholarships.Review')} WHERE application_id = %s", (application,)),
                (f"SELECT * FROM {table('scholarships.Attachment')} WHERE application_id = %s", (application,)),
                (f"SELECT * FROM {table('scholarships.StipendTranche')} WHERE application_id = %s", (application,)),
            ]
        )
        url = f"/scholarships/applications/{application}/"
        entries.append(Entry("application page", "record", lambda url=url: ctx.get(url), floor, url))
    programme = first_id(
        cursor, "programs.Programme", f"EXISTS (SELECT 1 FROM {table('finance.Loan')} l WHERE l.programme_id = t.id)"
    ) or first_id(cursor, "programs.Programme")
    if programme is not None:
        per_module = " UNION ALL ".join(
            f"SELECT '{label}', count(*) FROM {table(label)} WHERE programme_id = %s"
            for label in ("finance.Loan", "finance.Grant", "shipments.Shipment", "budgets.BudgetLine", "results.Result")
        )
        floor = record_floor(
            [
                (f"SELECT * FROM {table('programs.Programme')} WHERE id = %s", (programme,)),
                (
                    f"SELECT pa.*, o.name FROM {table('programs.Participation')} pa "
                    f"JOIN {table('partners.Organisation')} o ON o.id = pa.organisation_id WHERE pa.programme_id = %s",
                    (programme,),
                ),
                (
                    f"SELECT * FROM {table('programs.ProgrammeUpdate')} WHERE programme_id = %s "
                    f"ORDER BY reported_on DESC LIMIT 10",
                    (programme,),
                ),
                (per_module, (programme,) * 5),
            ]
        )
        url = f"/programmes/{programme}/"
        entries.append(Entry("programme page (hub)", "hub", lambda url=url: ctx.get(url), floor, url))
        entries.append(after_a_change("programme page (hub)", "hub", ctx, floor, url))
        entries.append(after_own_change("programme page (hub)", "hub", ctx, floor, url))
        entries.append(refreshed_by_the_worker("programme page (hub)", "job", ctx, floor, url, PROGRAMME_HUB))
    partner = first_id(
        cursor, "partners.Organisation", f"EXISTS (SELECT 1 FROM {table('finance.Loan')} l WHERE l.borrower_id = t.id)"
    ) or first_id(cursor, "partners.Organisation")
    if partner is not None:
        floor = record_floor(
            [
                (f"SELECT * FROM {table('partners.Organisation')} WHERE id = %s", (partner,)),
                (f"SELECT * FROM {table('partners.Contact')} WHERE organisation_id = %s ORDER BY name", (partner,)),
                (
                    f"SELECT pa.*, p.code FROM {table('programs.Participation')} pa "
                    f"JOIN {table('programs.Programme')} p ON p.id = pa.programme_id WHERE pa.organisation_id = %s",
                    (partner,),
                ),
                (
                    f"SELECT currency_id, status, count(*), sum(principal) FROM {table('finance.Loan')} "
                    f"WHERE borrower_id = %s GROUP BY currency_id, status",
                    (partner,),
                ),
                (f"SELECT count(*) FROM {table('shipments.Shipment')} WHERE consignee_id = %s", (partner,)),
            ]
        )
        url = f"/partners/{partner}/"
        entries.append(Entry("partner page (hub)", "hub", lambda url=url: ctx.get(url), floor, url))
        entries.append(after_a_change("partner page (hub)", "hub", ctx, floor, url))
        entries.append(after_own_change("partner page (hub)", "hub", ctx, floor, url))
        entries.append(refreshed_by_the_worker("partner page (hub)", "job", ctx, floor, url, PARTNER_HUB))
    return entries

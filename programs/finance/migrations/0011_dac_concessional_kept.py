from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal

from django.db import migrations, models
from django.utils import timezone

HUNDRED = Decimal(100)


def judge_committed_loans(apps, schema_editor):
    """Judge each committed loan on the schedule its approval fixed, by the rule in force on its approval day (the
    loans not yet approved are judged on their next save)."""
    Loan = apps.get_model("finance", "Loan")
    Installment = apps.get_model("finance", "Installment")
    rules = defaultdict(list)
    for rule in apps.get_model("finance", "DacRule").objects.order_by("valid_from"):
        rules[rule.category].append(rule)
    loans = (
        Loan.objects.filter(approved_at__isnull=False)
        .select_related("programme", "borrower")
        .order_by("pk")
        .iterator(chunk_size=500)
    )
    changed = []
    for loan in loans:
        category = loan.programme.dac_category or loan.borrower.dac_category
        committed_on = timezone.localdate(loan.approved_at)
        in_force = [rule for rule in rules.get(category, ()) if rule.valid_from <= committed_on]
        if not in_force:
            continue
        rule = in_force[-1]
        start = loan.disbursed_on or loan.disbursement_date
        base = 1 + rule.discount_rate / HUNDRED
        present_value = sum(
            (
                (row.principal_due + row.interest_due) * base ** (-Decimal((row.due_date - start).days) / 365)
                for row in Installment.objects.filter(loan=loan).only("due_date", "principal_due", "interest_due")
            ),
            Decimal(0),
        )
        if not present_value:
            continue
        grant_element = (HUNDRED * (1 - present_value / loan.principal)).quantize(Decimal("0.01"), ROUND_HALF_EVEN)
        loan.dac_concessional = grant_element >= rule.minimum_grant_element
        changed.append(loan)
    Loan.objects.bulk_update(changed, ["dac_concessional"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("finance", "0010_dac_rules_2018")]

    operations = [
        migrations.AddField(
            model_name="loan",
            name="dac_concessional",
            field=models.BooleanField(blank=True, editable=False, null=True, verbose_name="concessional (OECD DAC)"),
        ),
        migrations.RunPython(judge_committed_loans, migrations.RunPython.noop),
    ]

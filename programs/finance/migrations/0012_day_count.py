"""Each loan names how its interest is counted. Loans already recorded count full periods, as every schedule did
until now, so their schedules and grant elements stay exactly as they were; new loans count 30E/360."""

from django.db import migrations, models

CHOICES = [
    ("30e_360", "30E/360 (European): months of 30 days, a year of 360"),
    ("actual_365", "Actual/365 (fixed): actual days, a year of 365"),
    ("actual_actual_isda", "Actual/actual (ISDA): actual days, a year of 365 or 366"),
    ("full_periods", "Full periods (loans recorded before day counts)"),
]
HELP = (
    "How interest is counted. The first installment's interest runs from the disbursement date to the first "
    "repayment date, so a first period shorter or longer than the others costs less or more. 30E/360 counts "
    "every later period as a whole one; the actual conventions count the days between due dates. "
    "“Full periods” charges every installment one whole period of interest however far the first "
    "repayment is from the disbursement: loans recorded before day counts were chosen keep it, so their "
    "schedules do not change."
)


def day_count(default: str) -> models.CharField:
    return models.CharField(
        choices=CHOICES, default=default, help_text=HELP, max_length=20, verbose_name="interest day count"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0011_dac_concessional_kept"),
    ]

    operations = [
        # Existing rows (and their history) get full periods; the default then moves to 30E/360 for new loans.
        migrations.AddField(model_name="historicalloan", name="day_count", field=day_count("full_periods")),
        migrations.AddField(model_name="loan", name="day_count", field=day_count("full_periods")),
        migrations.AlterField(model_name="historicalloan", name="day_count", field=day_count("30e_360")),
        migrations.AlterField(model_name="loan", name="day_count", field=day_count("30e_360")),
        migrations.AddConstraint(
            model_name="loan",
            constraint=models.CheckConstraint(
                condition=models.Q(("day_count__in", ["30e_360", "actual_365", "actual_actual_isda", "full_periods"])),
                name="loan_day_count_known",
            ),
        ),
    ]

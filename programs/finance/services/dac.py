"""The OECD DAC thresholds for concessional loans, kept as data: a change of the rules is a new row (valid from the
day it takes effect) or a corrected one, never a release."""

from django.db import transaction

from cooperation.access import require_perm
from cooperation.models import assign_fields
from cooperation.roles import Perm
from cooperation.workflow import only_fields, update_by
from programs.finance.models import DacRule

DAC_RULE_FIELDS = ("category", "minimum_grant_element", "discount_rate", "valid_from")


@transaction.atomic
def dac_rule_create(*, created_by, **data) -> DacRule:
    """A rule for a category from ``valid_from`` on; the rule before it applies to loans committed earlier."""
    require_perm(created_by, Perm.ADD_DAC_RULE)
    only_fields("dac_rule_create", data, DAC_RULE_FIELDS)
    rule = DacRule()
    assign_fields(rule, DAC_RULE_FIELDS, data)
    rule.full_clean()
    rule._history_user = created_by
    rule.save()
    return rule


@transaction.atomic
def dac_rule_update(*, rule: DacRule, updated_by, **data) -> DacRule:
    """Correct a rule: every loan committed while it is in force is judged by the corrected figures."""
    require_perm(updated_by, Perm.CHANGE_DAC_RULE)
    only_fields("dac_rule_update", data, DAC_RULE_FIELDS)
    return update_by(rule, updated_by, DAC_RULE_FIELDS, data)

"""The results module's forms: they parse what was typed, the services decide what is allowed and their
refusals come back next to the field they name."""

from programs.results.forms.framework import IndicatorForm, PlanForm, ResultForm, ReturnForm, TargetsForm
from programs.results.forms.report import ReportForm

__all__ = ["IndicatorForm", "PlanForm", "ReportForm", "ResultForm", "ReturnForm", "TargetsForm"]

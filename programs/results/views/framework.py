"""A programme's results framework: the reporting plan and its periods, the results from impact down to outputs,
each indicator with its progress and chart; officers build and revise it here, auditors and managers read it.

Every change is a POST calling one framework service; bad input or a refusal shows the form again with the
message next to its field, and nothing saved."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperation.pages import form_page, posted, saved_from, workspace_page
from cooperation.roles import Perm
from programs.results import selectors, services
from programs.results.charts import IndicatorChart, indicator_chart
from programs.results.forms import IndicatorForm, PlanForm, ResultForm, TargetsForm
from programs.results.measures import measure_choices

STEPS = {"up": -1, "down": 1}


@dataclass
class IndicatorBlock:
    progress: selectors.IndicatorProgress
    chart: IndicatorChart

    @property
    def indicator(self):
        return self.progress.indicator


@dataclass
class ResultBlock:
    result: object
    indicators: list[IndicatorBlock]


def framework_url(programme_id: int, anchor: str = "") -> str:
    return reverse("results:framework", args=[programme_id]) + anchor


def _plan(programme):
    try:
        return programme.reporting_plan
    except ObjectDoesNotExist:
        return None


def _framework_page(request, programme, *, plan_form=None, status=200):
    user = request.user
    results = selectors.framework(user=user, programme=programme)
    periods = list(programme.reporting_periods.order_by("starts_on"))
    indicators = [indicator for result in results for indicator in result.indicators.all()]
    progress = {entry.indicator.pk: entry for entry in selectors.indicator_progress(indicators, periods)}
    blocks = [
        ResultBlock(
            result,
            [
                IndicatorBlock(
                    progress[indicator.pk],
                    indicator_chart(progress[indicator.pk], slug=f"indicator-{indicator.pk}", title=indicator.title),
                )
                for indicator in result.indicators.all()
            ],
        )
        for result in results
    ]
    can_change = user.has_perm(Perm.CHANGE_FRAMEWORK)
    plan = _plan(programme)
    if can_change and plan_form is None:
        plan_form = PlanForm(instance=plan)
    return render(
        request,
        "results/framework.html",
        {
            "programme": programme,
            "plan": plan,
            "periods": periods,
            "blocks": blocks,
            "counts": list(selectors.status_counts(list(progress.values())).items()),
            "can_change": can_change,
            "measure_labels": dict(measure_choices()),
            "plan_form": plan_form if can_change else None,
        },
        status=status,
    )


@workspace_page(object_page=True)
def framework(request, pk):
    return _framework_page(request, selectors.programme_for_framework(user=request.user, pk=pk))


@require_POST
@workspace_page(object_page=True, perm=Perm.CHANGE_FRAMEWORK)
def plan_set(request, pk):
    programme = selectors.programme_for_framework(user=request.user, pk=pk)
    form = PlanForm(request.POST, instance=_plan(programme))
    if saved_from(request, form, services.plan_set, programme=programme, set_by=request.user) is None:
        messages.error(request, _("The reporting plan was not saved: see the errors below."))
        return _framework_page(request, programme, plan_form=form)
    messages.success(request, _("The reporting plan was saved and the periods cut again."))
    return redirect(framework_url(programme.pk, "#plan"))


# --- Results ------------------------------------------------------------------------------------------------------


def _result_done(result):
    return _("The result “%(title)s” was saved.") % {"title": result.title}, framework_url(
        result.programme_id, f"#result-{result.pk}"
    )


@workspace_page(object_page=True, perm=Perm.CHANGE_FRAMEWORK)
def result_create(request, pk):
    programme = selectors.programme_for_framework(user=request.user, pk=pk)
    form = ResultForm(posted(request), programme=programme)
    context = {"programme": programme, "result": None}
    return _edit_page(request, form, services.result_create, context, programme=programme, created_by=request.user)


@workspace_page(object_page=True, perm=Perm.CHANGE_FRAMEWORK)
def result_edit(request, pk):
    result = selectors.result_get(user=request.user, pk=pk)
    form = ResultForm(posted(request), instance=result, programme=result.programme)
    context = {"programme": result.programme, "result": result}
    user, refused = request.user, result.refresh_from_db
    return _edit_page(request, form, services.result_update, context, refused=refused, result=result, updated_by=user)


def _framework_change(request, call, message: str, back: str):
    """Run a framework change that asks nothing (a removal, a move): its refusal is a message on the page."""
    try:
        call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, message)
    return redirect(back)


@require_POST
@workspace_page(object_page=True, perm=Perm.CHANGE_FRAMEWORK)
def result_remove(request, pk):
    result = selectors.result_get(user=request.user, pk=pk)
    return _framework_change(
        request,
        lambda: services.result_delete(result=result, deleted_by=request.user),
        _("The result “%(title)s” was removed.") % {"title": result.title},
        framework_url(result.programme_id, "#results"),
    )


@require_POST
@workspace_page(object_page=True, perm=Perm.CHANGE_FRAMEWORK)
def indicator_remove(request, pk):
    indicator = selectors.indicator_get(user=request.user, pk=pk)
    return _framework_change(
        request,
        lambda: services.indicator_delete(indicator=indicator, deleted_by=request.user),
        _("The indicator “%(title)s” was removed.") % {"title": indicator.title},
        framework_url(indicator.result.programme_id, f"#result-{indicator.result_id}"),
    )


@require_POST
@workspace_page(object_page=True, perm=Perm.CHANGE_FRAMEWORK)
def result_move(request, pk, direction: str):
    result = selectors.result_get(user=request.user, pk=pk)
    return _framework_change(
        request,
        lambda: services.result_move(result=result, step=STEPS[direction], moved_by=request.user),
        _("The result “%(title)s” was moved.") % {"title": result.title},
        framework_url(result.programme_id, f"#result-{result.pk}"),
    )


# --- Indicators -----------------------------------------------------------------------------------------------------


def _indicator_done(indicator):
    return _("The indicator “%(title)s” was saved.") % {"title": indicator.title}, framework_url(
        indicator.result.programme_id, f"#indicator-{indicator.pk}"
    )


def _edit_page(request, form: ResultForm | IndicatorForm, service, context: dict, **arguments):
    """A result's or an indicator's form, new or edited: saved by ``service``, then back to it on the framework."""
    template, done = EDIT_PAGES[type(form)]
    return form_page(request, form, service, done=done, template=template, context=context, **arguments)


EDIT_PAGES = {
    ResultForm: ("results/result_form.html", _result_done),
    IndicatorForm: ("results/indicator_form.html", _indicator_done),
}


@workspace_page(object_page=True, perm=Perm.CHANGE_FRAMEWORK)
def indicator_create(request, pk):
    result = selectors.result_get(user=request.user, pk=pk)
    form = IndicatorForm(posted(request), programme=result.programme)
    context = {"programme": result.programme, "result": result, "indicator": None}
    return _edit_page(request, form, services.indicator_create, context, result=result, created_by=request.user)


@workspace_page(object_page=True, perm=Perm.CHANGE_FRAMEWORK)
def indicator_edit(request, pk):
    indicator = selectors.indicator_get(user=request.user, pk=pk)
    programme = indicator.result.programme
    revising = services.has_approved_values(indicator)
    form = IndicatorForm(posted(request), instance=indicator, programme=programme, revising=revising)
    context = {"programme": programme, "result": indicator.result, "indicator": indicator, "revising": revising}
    return _edit_page(
        request,
        form,
        services.indicator_update,
        context,
        refused=indicator.refresh_from_db,
        indicator=indicator,
        updated_by=request.user,
    )


@workspace_page(object_page=True, perm=Perm.CHANGE_FRAMEWORK)
def indicator_targets(request, pk):
    indicator = selectors.indicator_get(user=request.user, pk=pk)
    programme = indicator.result.programme
    revising = services.has_approved_values(indicator)
    periods = programme.reporting_periods.order_by("starts_on")
    form = TargetsForm(posted(request), indicator=indicator, periods=periods, revising=revising)

    def save(revision_reason: str = "", **typed):
        services.targets_set(
            indicator=indicator, targets=form.targets(), set_by=request.user, revision_reason=revision_reason
        )
        return indicator

    return form_page(
        request,
        form,
        save,
        done=lambda saved: (
            _("The targets of “%(title)s” were saved.") % {"title": saved.title},
            framework_url(programme.pk, f"#indicator-{saved.pk}"),
        ),
        template="results/targets_form.html",
        context={"programme": programme, "indicator": indicator, "revising": revising},
    )


@require_POST
@workspace_page(object_page=True, perm=Perm.CHANGE_FRAMEWORK)
def indicator_move(request, pk, direction: str):
    indicator = selectors.indicator_get(user=request.user, pk=pk)
    return _framework_change(
        request,
        lambda: services.indicator_move(indicator=indicator, step=STEPS[direction], moved_by=request.user),
        _("The indicator “%(title)s” was moved.") % {"title": indicator.title},
        framework_url(indicator.result.programme_id, f"#indicator-{indicator.pk}"),
    )

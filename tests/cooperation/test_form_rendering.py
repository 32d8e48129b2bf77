"""Selects drawn by the project's renderer read exactly as Django's own templates draw them."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from cooperation.form_rendering import FormRenderer
from cooperation.reference.models import Currency

TEMPLATES = DjangoTemplates()
OURS = FormRenderer()


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("", "---------"), ("a", "A & B"), ("b", '"Quoted" <b>')])
    grouped = forms.ChoiceField(
        choices=[("Asia", [("ID", "Indonesia"), ("JP", "Japan")]), ("Europe", [("NL", "Netherlands")]), ("x", "X")]
    )
    many = forms.MultipleChoiceField(choices=[(1, "One"), (2, "Two"), (3, "Three")])
    lazy = forms.ChoiceField(choices=[("y", gettext_lazy("Yes")), ("n", gettext_lazy("No"))])
    numbers = forms.TypedChoiceField(choices=[(2026, 2026), (20260, 1234567)], coerce=int)
    safe = forms.ChoiceField(choices=[("s", mark_safe("<em>safe</em>"))])
    when = forms.ChoiceField(choices=[(str(datetime.date(2026, 6, 1)), datetime.date(2026, 6, 1))])
    flags = forms.NullBooleanField()
    attributed = forms.ChoiceField(
        choices=[("a", "A")],
        widget=forms.Select(attrs={"class": 'wide "x"', "disabled": True, "hidden": False, "data-n": 3}),
    )


class Inputs(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": 'Name "or" <code>', "autofocus": True}))
    hidden = forms.CharField(widget=forms.HiddenInput)
    number = forms.DecimalField(widget=forms.NumberInput(attrs={"step": "0.01", "min": 0}))
    email = forms.EmailField()
    url = forms.URLField()
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    search = forms.CharField(widget=forms.TextInput(attrs={"type": "search", "hidden": False}))
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    moment = forms.DateTimeField()
    hour = forms.TimeField()
    safe = forms.CharField(widget=forms.TextInput(attrs={"title": mark_safe("<em>kept</em>")}))
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}))
    agreed = forms.BooleanField()
    phone = forms.CharField(widget=forms.TextInput(attrs={"type": "tel"}))
    scan = forms.FileField(widget=forms.FileInput)


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "text": 'Air & "bersih" <b>',
            "hidden": "7",
            "number": "1234567.5",
            "email": "a@example.org",
            "url": "https://example.org/?a=1&b=2",
            "password": "s3cret&",
            "search": "",
            "day": "2026-06-01",
            "moment": "2026-06-01 09:30",
            "hour": "09:30",
            "safe": "x",
            "notes": '  First line & "second" <b>\n\nThird.  ',
            "agreed": "on",
            "phone": "+62 21 555",
        },
    ],
)
def test_every_kind_of_input_reads_as_django_draws_it(language, data):
    drawn = _drawn_alike(Inputs, data, language)
    if data:
        assert 'value="Air &amp; &quot;bersih&quot; &lt;b&gt;"' in drawn["text"]
        assert drawn["notes"].endswith(">\n  First line &amp; &quot;second&quot; &lt;b&gt;\n\nThird.  </textarea>")
        assert " checked" in drawn["agreed"]


def _drawn_alike(form_class, data, language) -> dict:
    """Each field of ``form_class`` bound to ``data`` as our renderer draws it, having checked that Django's own
    templates draw it the same, character for character."""
    with override(language):
        pairs = list(_pairs(form_class(data=data)))
    assert len(pairs) == len(form_class.base_fields)
    for name, django_html, our_html in pairs:
        assert our_html == django_html, name
    return {name: ours for name, _, ours in pairs}


def _pairs(form):
    for name in form.fields:
        bound = form[name]
        widget = bound.field.widget
        context = widget.get_context(bound.html_name, bound.value(), {"id": bound.auto_id, **widget.attrs})
        yield name, TEMPLATES.render(widget.template_name, context), OURS.render(widget.template_name, context)


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize(
    "data",
    [None, {"plain": "b", "grouped": "JP", "many": ["1", "3"], "numbers": "20260", "flags": "true", "lazy": "n"}],
)
def test_every_kind_of_select_reads_as_django_draws_it(language, data):
    drawn = _drawn_alike(Everything, data, language)
    assert "A &amp; B" in drawn["plain"] and "&quot;Quoted&quot; &lt;b&gt;" in drawn["plain"]
    assert "<em>safe</em>" in drawn["safe"]
    assert '<optgroup label="Asia">' in drawn["grouped"]


@pytest.mark.django_db
def test_a_model_choice_select_reads_as_django_draws_it():
    class Choose(forms.Form):
        currency = forms.ModelChoiceField(Currency.objects.order_by("code"), to_field_name="code")

    [(_, django_html, our_html)] = list(_pairs(Choose(data={"currency": "IDR"})))
    assert our_html == django_html
    assert 'value="IDR" selected' in our_html


def test_a_select_with_its_own_option_template_is_left_to_the_templates():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Custom(choices=[("a", "A")])
    context = widget.get_context("choice", "a", {})
    assert OURS.render(widget.template_name, context) == TEMPLATES.render(widget.template_name, context)


class Ticks(forms.Form):
    statuses = forms.MultipleChoiceField(
        choices=[("draft", "Draft"), ("ready", gettext_lazy("Ready")), ("a&b", '"A" <b>')],
        widget=forms.CheckboxSelectMultiple,
    )
    grouped = forms.MultipleChoiceField(
        choices=[("Asia", [("ID", "Indonesia"), ("JP", "Japan")]), ("x", "X")],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "columns"}),
    )
    mode = forms.ChoiceField(choices=[("air", "Air"), ("sea", mark_safe("<em>Sea</em>"))], widget=forms.RadioSelect)
    year = forms.TypedChoiceField(choices=[(2026, 2026), (20260, 1234567)], coerce=int, widget=forms.RadioSelect)


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize(
    "data", [None, {"statuses": ["ready", "a&b"], "grouped": ["JP"], "mode": "sea", "year": "2026"}]
)
@pytest.mark.parametrize("auto_id", ["id_%s", False])
def test_lists_of_checkboxes_and_radio_buttons_read_as_django_draws_them(language, data, auto_id):
    with override(language):
        pairs = list(_pairs(Ticks(data=data, auto_id=auto_id)))
    assert len(pairs) == len(Ticks.base_fields)
    for name, django_html, our_html in pairs:
        assert our_html == django_html, name
    drawn = dict((name, ours) for name, _, ours in pairs)
    assert '<input type="checkbox" name="statuses" value="a&amp;b"' in drawn["statuses"]
    assert "<em>Sea</em>" in drawn["mode"]
    assert "<div><label>Asia</label>" in drawn["grouped"]


def test_a_list_of_checkboxes_is_written_out_without_the_templates(monkeypatch):
    widget = Ticks.base_fields["statuses"].widget
    context = widget.get_context("statuses", ["ready"], {"id": "id_statuses"})
    monkeypatch.setattr(DjangoTemplates, "render", lambda *args, **kwargs: pytest.fail("drawn by the templates"))
    assert 'value="ready" id="id_statuses_1" checked>' in OURS.render(widget.template_name, context)

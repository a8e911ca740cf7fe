"""The form renderer writes the per-option widgets itself: the markup must be byte for byte Django's."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.template import Context, Template
from django.utils.safestring import mark_safe

from lawdesk.core.form_renderer import FAST, FastRenderer
from lawdesk.core.forms import LabelledCheckboxes

CHOICES = [("", "（请选择）"), ("a", "甲 & <乙>"), (3, "三"), ('x"y', mark_safe("<b>粗</b>"))]
GROUPED = [("第一组", [("1", "一"), ("2", "二")]), ("3", "三"), ("第二组", [(4, "四")])]


class Everything(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": '姓名 "引" <x>', "autofocus": True}))
    number = forms.IntegerField(min_value=1, widget=forms.NumberInput(attrs={"step": 1}))
    email = forms.EmailField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    when = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    password = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    agree = forms.BooleanField(required=False, widget=forms.CheckboxInput(attrs={"disabled": False}))
    pick = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPED, widget=forms.Select(attrs={"class": "wide", "data-x": 0}))
    many = forms.MultipleChoiceField(choices=GROUPED, required=False)
    boxes = forms.MultipleChoiceField(
        choices=CHOICES[1:], widget=forms.CheckboxSelectMultiple, required=False
    )
    radios = forms.ChoiceField(choices=GROUPED, widget=forms.RadioSelect)
    no_id = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect(attrs={"id": ""}), required=False)


DATA = {
    "text": '张 <三> & "四"',
    "number": "7",
    "date": "2026-12-06",
    "when": "2026-12-06T09:30",
    "password": "p&ss",
    "agree": "on",
    "pick": 'x"y',
    "grouped": "2",
    "many": ["1", "4"],
    "boxes": ["a", "3"],
    "radios": "3",
}


def _html(form: forms.Form, renderer: Any) -> list[str]:
    form.renderer = renderer
    out = []
    for name in form.fields:
        bound = form[name]
        out.append(str(bound))
        out.extend(str(sub.tag()) for sub in bound.subwidgets if hasattr(sub, "tag"))
        out.extend(str(sub.tag(wrap_label=True)) for sub in bound.subwidgets if hasattr(sub, "tag"))
    return out


@pytest.mark.parametrize(
    "form_kwargs",
    [
        {},
        {"data": DATA},
        {
            "initial": {
                "date": datetime.date(2026, 1, 2),
                "pick": 3,
                "grouped": "1",
                "boxes": ["a"],
                "number": 5,
            }
        },
        {"data": {**DATA, "pick": "not a choice"}, "auto_id": False},
        {"data": DATA, "prefix": "m0"},
    ],
)
def test_the_fast_renderer_gives_exactly_what_djangos_templates_give(form_kwargs: dict[str, Any]) -> None:
    django_html = _html(Everything(**form_kwargs), DjangoTemplates())
    fast_html = _html(Everything(**form_kwargs), FastRenderer())
    assert fast_html == django_html
    assert any("&lt;" in h for h in fast_html)  # escaped, like Django


def test_every_template_it_writes_itself_is_one_of_djangos_and_it_is_the_sites_renderer() -> None:
    django = DjangoTemplates()
    for name in FAST:
        assert django.get_template(name) is not None
    assert isinstance(get_default_renderer(), FastRenderer)


def test_a_widget_of_another_template_still_goes_through_django() -> None:
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Custom(choices=[("a", "甲")])
    assert widget.render("w", "a", renderer=FastRenderer()) == widget.render(
        "w", "a", renderer=DjangoTemplates()
    )


def test_labelled_checkboxes_write_what_the_pages_loop_over_the_boxes_wrote() -> None:
    class Pick(forms.Form):
        boxes = forms.MultipleChoiceField(choices=CHOICES[1:], widget=LabelledCheckboxes, required=False)
        none = forms.MultipleChoiceField(choices=[], widget=LabelledCheckboxes, required=False)

    loop = Template(
        "{% for box in form.boxes %}<label>{{ box.tag }} {{ box.choice_label }}</label>{% endfor %}"
    )
    for kwargs in ({}, {"data": {"boxes": ["a", "3"]}}, {"prefix": "m0", "auto_id": False}):
        form = Pick(**kwargs)
        assert str(form["boxes"]) == loop.render(Context({"form": form}))
        assert str(form["boxes"]).count(" checked>") == (2 if "data" in kwargs else 0)
        assert str(form["none"]) == ""

from __future__ import annotations

from django import forms

FACES = [(1, "很不满意"), (2, "不满意"), (3, "一般"), (4, "满意"), (5, "非常满意")]


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="您对本次服务满意吗？",
        choices=FACES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "请点一下表情选择评分。", "invalid_choice": "请选择1到5分。"},
    )
    comment = forms.CharField(
        label="您的意见（可不填）",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "意见请不要超过300字。"},
    )


class KioskRatingForm(RatingForm):
    visit_seq = forms.CharField(
        label="来访编号（回执上的“来访第××××号”）",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": "请输入来访编号。"},
    )
    code = forms.CharField(
        label="评价码（回执上或短信里的6位数字）",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": "请输入回执上的6位评价码。"},
    )

    field_order = ["visit_seq", "code", "rating", "comment"]


class FindingForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label="认定",
        choices=[("1", "查实"), ("0", "不属实")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择查实或不属实。"},
    )
    note = forms.CharField(label="认定说明", required=False, max_length=500)

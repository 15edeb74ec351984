"""Admin forms of the quality views; choices limited to the agency."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from content_types.agency import AgencyPage
from content_types.quality.clauses import CLAUSE_CHOICES
from content_types.quality.nonconformity import Nonconformity
from content_types.quality.record import AuditResult
from content_types.quality.rules import user_label
from content_types.quality.units import QualityUnit


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return user_label(obj)


class _UsersChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return user_label(obj)


def agency_staff(agency: AgencyPage):
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__agency_role__agency=agency)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class UnitForm(forms.ModelForm):
    members = _UsersChoice(
        queryset=get_user_model().objects.none(),
        required=False,
        label="Cán bộ thuộc đơn vị",
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = QualityUnit
        fields = ["name", "members"]

    def __init__(self, *args, agency: AgencyPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["members"].queryset = agency_staff(agency)
        self.instance.agency = agency

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = QualityUnit.objects.filter(agency=self.agency, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Cơ quan đã có đơn vị mang tên này.")
        return name


class NonconformityForm(forms.ModelForm):
    class Meta:
        model = Nonconformity
        fields = [
            "title",
            "source",
            "unit",
            "clause",
            "severity",
            "description",
            "correction",
            "raised_on",
        ]
        widgets = {"raised_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, agency: AgencyPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = QualityUnit.objects.filter(agency=agency)


class ActionForm(forms.Form):
    title = forms.CharField(label="Hành động", max_length=255)
    description = forms.CharField(label="Cách thực hiện", required=False, widget=forms.Textarea)
    owner = _UserChoice(queryset=get_user_model().objects.none(), label="Người thực hiện")
    due_date = forms.DateField(
        label="Hạn hoàn thành", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, agency: AgencyPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = agency_staff(agency)


class QuestionAddForm(forms.Form):
    clause = forms.ChoiceField(label="Điều khoản", choices=CLAUSE_CHOICES)
    process = forms.CharField(label="Quá trình", required=False, max_length=255)
    question = forms.CharField(label="Câu hỏi", widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    result = forms.ChoiceField(label="Kết quả", choices=[("", "—"), *AuditResult.choices])
    evidence = forms.CharField(
        label="Bằng chứng ghi nhận", widget=forms.Textarea(attrs={"rows": 3})
    )
    dossiers_sampled = forms.CharField(
        label="Hồ sơ được chọn mẫu", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(
        label="Diễn giải phát hiện", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RiskScaleForm(forms.ModelForm):
    class Meta:
        from content_types.quality.risk import AgencyRiskScale

        model = AgencyRiskScale
        fields = ["scale_size", "likelihood_labels", "impact_labels", "medium_from", "high_from"]
        widgets = {
            "likelihood_labels": forms.Textarea(attrs={"rows": 5}),
            "impact_labels": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {
            "scale_size": "Số mức của thang đo",
            "likelihood_labels": "Tên các mức khả năng xảy ra",
            "impact_labels": "Tên các mức ảnh hưởng",
            "medium_from": "Mức trung bình từ điểm",
            "high_from": "Mức cao từ điểm",
        }
        error_messages = {
            "medium_from": {"invalid": "Hãy nhập một số nguyên."},
            "high_from": {"invalid": "Hãy nhập một số nguyên."},
            "scale_size": {"invalid_choice": "Hãy chọn thang đo 3, 4 hoặc 5 mức."},
        }

    def _post_clean(self):
        # The model's clean() runs in risk_scale_update, with the guard on registers in use.
        from django.forms.models import construct_instance

        self.instance = construct_instance(self, self.instance, self._meta.fields)

"""Forms of the joint-meeting screens; each feeds one service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from matching.cases.models import Case

from .models import AgendaItem


class MeetingForm(forms.Form):
    body = forms.ModelChoiceField(label=_("联席会议"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("会议名称"), max_length=120)
    held_at = forms.DateTimeField(
        label=_("会议时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("会议地点"), max_length=120)
    chair = forms.CharField(label=_("主持人"), max_length=60)

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies


class AgendaItemForm(forms.Form):
    receipt_number = forms.CharField(label=_("受理编号"), max_length=20)
    question = forms.CharField(
        label=_("提请会议研究的问题"), max_length=1000, widget=forms.Textarea
    )
    reason = forms.CharField(label=_("提交理由"), max_length=1000, widget=forms.Textarea)

    def clean_receipt_number(self):
        number = self.cleaned_data["receipt_number"].strip().upper()
        case = Case.objects.filter(receipt_number=number).select_related("jurisdiction").first()
        if case is None:
            raise forms.ValidationError(_("没有找到该受理编号的救助申请。"))
        self.cleaned_data["case"] = case
        return number


class DecisionForm(forms.Form):
    """The decision, and up to three tasks: a department, what to do, in how many working days."""

    TASK_ROWS = 3

    outcome = forms.ChoiceField(
        label=_("议定结果"), choices=AgendaItem.Outcome.choices, widget=forms.RadioSelect
    )
    decision = forms.CharField(label=_("会议决定"), max_length=2000, widget=forms.Textarea)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, self.TASK_ROWS + 1):
            self.fields[f"department_{n}"] = forms.ModelChoiceField(
                label=_("承办部门 %(n)d") % {"n": n}, queryset=departments, required=False
            )
            self.fields[f"task_{n}"] = forms.CharField(
                label=_("交办任务 %(n)d") % {"n": n}, max_length=1000, required=False
            )
            self.fields[f"days_{n}"] = forms.IntegerField(
                label=_("办理时限(工作日) %(n)d") % {"n": n},
                min_value=1,
                max_value=60,
                required=False,
            )

    def clean(self):
        data = super().clean()
        tasks = []
        for n in range(1, self.TASK_ROWS + 1):
            department, text, days = (data.get(f"{k}_{n}") for k in ("department", "task", "days"))
            if not (department or text or days):
                continue
            if not (department and text and days):
                self.add_error(f"task_{n}", _("请同时填写承办部门、任务内容和办理时限。"))
                continue
            tasks.append((department, text, days))
        data["tasks"] = tasks
        return data


class TaskDoneForm(forms.Form):
    task = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.CharField(
        label=_("办理结果"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

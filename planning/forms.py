from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db.models import Q, Value
from django.utils import timezone

from channels.models import Channel
from experiments.models import Experiment
from pacekeeper.forms import LongSelect
from personas.forms import personas_field
from personas.models import Persona
from planning.models import Actual, Plan, PlanPersona, SignalMode
from planning.selectors import Member, WhatIf, new_plan_defaults
from workspaces.models import Workspace
from workspaces.versioning import VersionedForm, VersionField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(VersionedForm):
    personas = personas_field(
        "Personas in the plan",
        required="Choose at least one persona.",
        help_text="New personas join with their priority as weight; you can change it on the plan page.",
    )

    class Meta:
        model = Plan
        fields = ["name", "start", "end", "total_effort", "present_share"]
        widgets = {
            "name": forms.TextInput(attrs={"placeholder": "Q1 2027"}),
            "start": DATE,
            "end": DATE,
            "total_effort": forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
            "present_share": forms.NumberInput(attrs={"min": 0, "max": 100}),
        }
        error_messages = {"name": {"required": "Give the plan a name."}}

    def __init__(self, *args, workspace: Workspace, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.fields["total_effort"].label = f"Total effort ({workspace.effort_unit})"
        self.fields["present_share"].help_text = (
            f"Percent of effort where personas are today. Empty: the workspace default "
            f"({workspace.default_present_share})."
        )
        members = PlanPersona.objects.in_workspace(workspace).filter(plan_id=self.instance.pk)
        # Active personas, plus any archived one the plan already holds.
        self.fields["personas"].queryset = (
            Persona.objects.in_workspace(workspace)
            .filter(Q(archived=False) | Q(pk__in=members.values("persona")))
            .order_by("name")
        )
        if self.instance.pk:
            self.fields["personas"].initial = list(members.values_list("persona_id", flat=True))
        else:
            self.fields.pop("version")
            self.fields["personas"].initial = list(
                self.fields["personas"].queryset.values_list("pk", flat=True)
            )
            # Next quarter, the latest plan's effort, the workspace's ratio shown.
            for name, value in new_plan_defaults(workspace, timezone.localdate()).items():
                if value is not None:
                    self.fields[name].initial = value
            self.fields["present_share"].widget.attrs["placeholder"] = str(
                workspace.default_present_share
            )

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The plan cannot end before it starts.")
        return data


class PlanCopyForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["name", "start", "end"]
        widgets = {"start": DATE, "end": DATE}

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The plan cannot end before it starts.")
        return data


class ReviewForm(forms.Form):
    comment = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": "What should change, or why it is good to go"}
        ),
    )
    version = VersionField()


class WhatIfForm(forms.Form):
    """Ratios and weights being tried on a draft plan: one share for the plan and a
    weight and optional share for each persona in it.

    The page shows the fields of some personas only (a large plan shows its first
    rows): a persona whose fields are not sent keeps her saved weight and share,
    while a field sent empty is an answer (a weight is then missing)."""

    present_share = forms.IntegerField(min_value=0, max_value=100, label="Present share")
    balance = forms.BooleanField(
        required=False,
        label="Balance to the headline",
        help_text="Adjust the personas that follow the plan's ratio so the whole plan "
        "allocates exactly this split.",
    )

    def __init__(self, *args, plan: Plan, members: list[Member], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        self.fields["present_share"].initial = plan.effective_present_share
        self.fields["balance"].initial = plan.balanced
        # A persona's fields exist once sent, or once the page shows them
        # (``member_fields``): a large plan's other personas cost nothing.
        for member in members:
            if self._sent(f"weight_{member.pk}") or self._sent(f"share_{member.pk}"):
                self._add_fields(member)

    def _add_fields(self, member: Member) -> None:
        self.fields[f"weight_{member.pk}"] = forms.DecimalField(
            min_value=Decimal(0), max_digits=6, decimal_places=2, initial=member.weight,
            label=f"Weight of {member.persona.name}",
            required=not self.is_bound or f"weight_{member.pk}" in self.data,
        )  # fmt: skip
        self.fields[f"share_{member.pk}"] = forms.IntegerField(
            required=False, min_value=0, max_value=100, initial=member.present_share_override,
            label=f"Present share of {member.persona.name} in this plan",
        )  # fmt: skip

    def _sent(self, name: str) -> bool:
        return self.is_bound and name in self.data

    def whatif(self) -> WhatIf:
        data = self.cleaned_data
        return WhatIf(
            present_share=data["present_share"],
            balance=data["balance"],
            weights={
                m.pk: data[f"weight_{m.pk}"] if self._sent(f"weight_{m.pk}") else m.weight
                for m in self.members
            },
            shares={
                m.pk: data[f"share_{m.pk}"]
                if self._sent(f"share_{m.pk}")
                else m.present_share_override
                for m in self.members
            },
        )

    def member_fields(self, member: Member) -> tuple:
        """A persona's weight and share fields, for a row the page shows."""
        if f"weight_{member.pk}" not in self.fields:
            self._add_fields(member)
        return self[f"weight_{member.pk}"], self[f"share_{member.pk}"]


class ActualForm(VersionedForm):
    """Effort spent: on a channel or an experiment, picked from one grouped list."""

    target = forms.ChoiceField(
        label="Spent on",
        widget=LongSelect,
        help_text="A channel (where they are) or an experiment (where they are going).",
    )

    class Meta:
        model = Actual
        fields = ["date", "persona", "amount", "note"]
        widgets = {
            "date": DATE,
            "persona": LongSelect,
            "amount": forms.NumberInput(attrs={"min": "0.01", "step": "0.01"}),
            "note": forms.TextInput(attrs={"placeholder": "What it was"}),
        }

    field_order = ["date", "target", "persona", "amount", "note"]

    def __init__(self, *args, plan: Plan, personas: list[tuple[int, str]] | None = None, **kwargs):
        """``personas``: the plan's personas as (id, name), when the caller has
        them; the list is then drawn without a query."""
        super().__init__(*args, **kwargs)
        self.plan = plan
        workspace = plan.workspace
        # Active channels and experiments, plus the one this effort was recorded on:
        # one query for both lists.
        channels = (
            Channel.objects.in_workspace(workspace)
            .filter(Q(archived=False) | Q(pk=self.instance.channel_id))
            .order_by()
        )
        experiments = (
            Experiment.objects.in_workspace(workspace)
            .filter(Q(archived=False) | Q(pk=self.instance.experiment_id))
            .order_by()
        )
        both = (
            channels.annotate(kind=Value("c"))
            .values_list("kind", "pk", "name")
            .union(
                experiments.annotate(target_kind=Value("e")).values_list(
                    "target_kind", "pk", "title"
                ),
                all=True,
            )
        )
        names: dict[str, dict[int, str]] = {"c": {}, "e": {}}
        for kind, pk, name in sorted(both, key=lambda row: (row[0], row[2].casefold(), row[1])):
            names[kind][pk] = name
        self.channels, self.experiments = names["c"], names["e"]
        self.fields["target"].choices = [
            ("", "Choose…"),
            ("Where they are: channels", [(f"c{pk}", name) for pk, name in self.channels.items()]),
            (
                "Where they are going: experiments",
                [(f"e{pk}", name) for pk, name in self.experiments.items()],
            ),
        ]
        members = PlanPersona.objects.in_workspace(workspace).filter(plan=plan).values("persona")
        self.fields["persona"].queryset = (
            Persona.objects.in_workspace(workspace).filter(pk__in=members).order_by("name")
        )
        if personas is not None and not self.is_bound:
            self.fields["persona"].choices = [
                ("", "Not for one persona"),
                *sorted(personas, key=lambda p: (p[1].casefold(), p[0])),
            ]
        self.fields["persona"].empty_label = "Not for one persona"
        self.fields["amount"].label = f"Amount ({workspace.effort_unit})"
        if self.instance.pk:
            self.fields["target"].initial = (
                f"c{self.instance.channel_id}"
                if self.instance.channel_id
                else f"e{self.instance.experiment_id}"
            )
        else:
            self.fields.pop("version")

    def clean_date(self):
        day = self.cleaned_data["date"]
        if not self.plan.start <= day <= self.plan.end:
            raise forms.ValidationError(
                f"Pick a day in the plan's period: {self.plan.start:%d %b %Y} – {self.plan.end:%d %b %Y}."
            )
        return day

    def clean_target(self) -> str:
        value = self.cleaned_data["target"]
        kind, pk = value[:1], value[1:]
        if (
            not pk.isdigit()
            or (kind == "c" and int(pk) not in self.channels)
            or (kind == "e" and int(pk) not in self.experiments)
        ):
            raise forms.ValidationError("Choose a channel or an experiment from the list.")
        self.instance.channel_id = int(pk) if kind == "c" else None
        self.instance.experiment_id = int(pk) if kind == "e" else None
        return value


class ActualFilterForm(forms.Form):
    plan = forms.ModelChoiceField(
        queryset=Plan.objects.none(), required=False, empty_label="Every plan"
    )
    channel = forms.ModelChoiceField(
        queryset=Channel.objects.none(), required=False, empty_label="Any channel"
    )
    experiment = forms.ModelChoiceField(
        queryset=Experiment.objects.none(), required=False, empty_label="Any experiment"
    )
    persona = forms.ModelChoiceField(
        queryset=Persona.objects.none(), required=False, empty_label="Any persona"
    )
    start = forms.DateField(required=False, label="From", widget=DATE)
    end = forms.DateField(required=False, label="To", widget=DATE)

    def __init__(self, *args, workspace: Workspace, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.in_workspace(workspace).order_by("-start")
        self.fields["channel"].queryset = Channel.objects.in_workspace(workspace).order_by("name")
        self.fields["experiment"].queryset = Experiment.objects.in_workspace(workspace).order_by(
            "title"
        )
        self.fields["persona"].queryset = Persona.objects.in_workspace(workspace).order_by("name")

    def filter(self, queryset):
        data = self.cleaned_data if self.is_valid() else {}
        for name in ("plan", "channel", "experiment", "persona"):
            if data.get(name):
                queryset = queryset.filter(**{name: data[name]})
        if data.get("start"):
            queryset = queryset.filter(date__gte=data["start"])
        if data.get("end"):
            queryset = queryset.filter(date__lte=data["end"])
        return queryset


class SignalDismissForm(forms.Form):
    """Set a dashboard signal aside: which one (its key), for how long, and why."""

    key = forms.CharField(max_length=200, widget=forms.HiddenInput)
    plan = forms.IntegerField(required=False, widget=forms.HiddenInput)
    mode = forms.ChoiceField(
        label="For how long",
        choices=SignalMode.choices,
        initial=SignalMode.SNOOZE_30,
        error_messages={"invalid_choice": "Choose how long the signal stays away."},
    )
    reason = forms.CharField(
        label="Why (optional)",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "Planned for next quarter"}),
    )

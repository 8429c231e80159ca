from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.db.models import F, Q

from accounts.models import User
from channels.models import Channel
from experiments.models import (
    Experiment,
    ExperimentResult,
    ExperimentTarget,
    Kind,
    Outcome,
    Status,
    concluded_long_ago,
)
from pacekeeper.forms import LongSelect
from personas.forms import personas_field
from personas.models import Persona
from workspaces.models import Membership, Workspace
from workspaces.versioning import VersionedForm, VersionField

HYPOTHESIS_TEMPLATE = "We believe {personas} will {behaviour} on {channel}; we will know when {metric} reaches {target}."


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class ExperimentForm(VersionedForm):
    personas = personas_field(
        "Target personas", required="Choose at least one persona the experiment targets."
    )
    owner = MemberChoiceField(queryset=None, required=False, empty_label="No owner yet")

    class Meta:
        model = Experiment
        fields = [
            "title", "kind", "channel", "hypothesis", "metric", "baseline", "target",
            "higher_is_better", "impact", "confidence", "ease", "weight", "start_date", "end_date",
            "owner", "learnings",
        ]  # fmt: skip
        # personas is a plain form field: its rows carry the workspace, so the
        # service writes them, not ModelForm.save_m2m().
        widgets = {
            "hypothesis": forms.Textarea(attrs={"rows": 3}),
            "learnings": forms.Textarea(attrs={"rows": 3}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "impact": forms.NumberInput(attrs={"min": 1, "max": 10}),
            "confidence": forms.NumberInput(attrs={"min": 1, "max": 10}),
            "ease": forms.NumberInput(attrs={"min": 1, "max": 10}),
            "weight": forms.NumberInput(
                attrs={"min": 0, "step": "any", "placeholder": "ICE average"}
            ),
            "baseline": forms.NumberInput(attrs={"step": "any"}),
            "target": forms.NumberInput(attrs={"step": "any"}),
        }
        error_messages = {"title": {"required": "Give the experiment a title."}}

    field_order = ["title", "kind", "channel", "personas"]

    def __init__(self, *args, workspace: Workspace, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        # Active channels, plus an archived one the experiment is already on.
        self.fields["channel"].queryset = (
            Channel.objects.in_workspace(workspace)
            .filter(Q(archived=False) | Q(pk=self.instance.channel_id))
            .order_by("name")
        )
        self.fields["channel"].empty_label = "No channel"
        # Active personas, plus any archived one the experiment already targets.
        chosen = ExperimentTarget.objects.in_workspace(workspace).filter(
            experiment_id=self.instance.pk
        )
        self.fields["personas"].queryset = (
            Persona.objects.in_workspace(workspace)
            .filter(Q(archived=False) | Q(pk__in=chosen.values("persona")))
            .order_by("name")
        )
        members = Membership.objects.filter(workspace=workspace).values("user")
        self.fields["owner"].queryset = User.objects.filter(pk__in=members).order_by(
            "name", "email"
        )
        if self.instance.pk:
            self.fields["personas"].initial = [t.persona_id for t in chosen]
        if self.instance.pk is None:
            self.fields.pop("version")

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("kind") == Kind.CHANNEL
            and not data.get("channel")
            and "channel" not in self.errors
        ):
            self.add_error("channel", "A new-channel experiment needs its channel.")
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date cannot be before the start date.")
        return data


class ExperimentCreateForm(ExperimentForm):
    """Creating adds a starting status and the hypothesis helper's behaviour."""

    behaviour = forms.CharField(
        required=False,
        max_length=200,
        label="Behaviour (for the hypothesis)",
        widget=forms.TextInput(attrs={"placeholder": "watch short explainer videos"}),
        help_text="What you expect them to do; used to write the hypothesis for you.",
    )
    status = forms.ChoiceField(
        choices=[(s, Status(s).label) for s in (Status.IDEA, Status.PLANNED, Status.RUNNING)],
        initial=Status.IDEA,
        label="Starts as",
    )

    class Meta(ExperimentForm.Meta):
        fields = [f for f in ExperimentForm.Meta.fields if f != "learnings"]

    field_order = [
        "title", "kind", "channel", "personas", "behaviour", "metric", "baseline", "target",
        "higher_is_better", "hypothesis",
    ]  # fmt: skip

    def filled_hypothesis(self) -> str:
        """The hypothesis template filled from what the form holds so far."""
        data = self.data
        persona_ids = [p for p in data.getlist("personas") if p.isdigit()]
        personas = list(
            self.fields["personas"]
            .queryset.filter(pk__in=persona_ids)
            .values_list("name", flat=True)
        )
        channel = None
        if str(data.get("channel", "")).isdigit():
            channel = self.fields["channel"].queryset.filter(pk=data["channel"]).first()
        return HYPOTHESIS_TEMPLATE.format(
            personas=" and ".join(personas) or "<persona>",
            behaviour=(data.get("behaviour") or "").strip()[:200] or "<behaviour>",
            channel=channel.name if channel else "<channel>",
            metric=(data.get("metric") or "").strip()[:120] or "<metric>",
            target=(data.get("target") or "").strip()[:20] or "<target>",
        )


class MoveForm(forms.Form):
    """A move on the board: the new status and the version the card showed."""

    status = forms.ChoiceField(choices=Status.choices)
    version = VersionField()

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        if status == Status.CONCLUDED:
            raise forms.ValidationError("Concluding asks for the outcome and learnings.")
        return status


class ConcludeForm(VersionedForm):
    class Meta:
        model = Experiment
        fields = ["outcome", "learnings", "end_date"]
        widgets = {
            "learnings": forms.Textarea(
                attrs={"rows": 4, "placeholder": "What did we learn? What would we do differently?"}
            ),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].required = True
        self.fields["outcome"].choices = Outcome.choices
        self.fields["outcome"].widget = forms.RadioSelect(choices=Outcome.choices)
        self.fields["learnings"].required = True
        self.fields["end_date"].help_text = "Empty: today."

    def clean_end_date(self):
        end = self.cleaned_data.get("end_date")
        start = self.instance.start_date
        if end and start and end < start:
            raise forms.ValidationError("The end date cannot be before the start date.")
        return end


class ResultForm(forms.ModelForm):
    class Meta:
        model = ExperimentResult
        fields = ["date", "value", "note"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "value": forms.NumberInput(attrs={"step": "any"}),
            "note": forms.TextInput(attrs={"placeholder": "What happened"}),
        }


class GraduateForm(forms.Form):
    """A starting share for the channel in each target persona's mix."""

    def __init__(
        self, *args, experiment: Experiment, targets: list[tuple[Persona, Decimal | None]], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.targets = targets
        for persona, current in targets:
            self.fields[f"share_{persona.pk}"] = forms.DecimalField(
                label=persona.name,
                min_value=Decimal(0),
                max_digits=8,
                decimal_places=2,
                initial=current if current is not None else Decimal(10),
                help_text=(
                    f"Now {current.normalize():f} as an emerging channel: it becomes core."
                    if current is not None
                    else "Added as a core channel."
                ),
                widget=forms.NumberInput(attrs={"step": "any", "min": 0}),
            )

    def shares(self) -> dict[int, Decimal]:
        return {persona.pk: self.cleaned_data[f"share_{persona.pk}"] for persona, _ in self.targets}


# The list view's status filter for concluded experiments the board folds away.
OLDER = "older"


class ExperimentFilterForm(forms.Form):
    SORTS = [("-ice", "ICE score"), ("-updated", "Recently updated"), ("title", "Title")]

    persona = forms.ModelChoiceField(
        queryset=Persona.objects.none(),
        required=False,
        empty_label="Any persona",
        widget=LongSelect,
    )
    channel = forms.ModelChoiceField(
        queryset=Channel.objects.none(),
        required=False,
        empty_label="Any channel",
        widget=LongSelect,
    )
    kind = forms.ChoiceField(choices=[("", "Any kind"), *Kind.choices], required=False)
    show = forms.ChoiceField(
        choices=[("", "Active"), ("archived", "Archived")], required=False, label="Show"
    )
    sort = forms.ChoiceField(choices=SORTS, required=False, label="Sort by")
    # The list view's only: the board shows every status side by side.
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Status.choices, (OLDER, "Concluded over a quarter ago")],
        required=False,
        label="Status",
    )

    def __init__(self, *args, workspace: Workspace, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # The menus need each row's key and name only.
        self.fields["persona"].queryset = (
            Persona.objects.in_workspace(workspace)
            .filter(archived=False)
            .only("pk", "workspace_id", "name")
            .order_by("name")
        )
        self.fields["channel"].queryset = (
            Channel.objects.in_workspace(workspace)
            .filter(archived=False)
            .only("pk", "workspace_id", "name")
            .order_by("name")
        )

    def filter(self, queryset, *, by_status: bool = False):
        """The experiments the filters choose, in the chosen order; ``by_status``
        applies the status filter too (the list view's)."""
        data = self.cleaned_data if self.is_valid() else {}
        queryset = queryset.filter(archived=data.get("show") == "archived")
        if data.get("persona"):
            queryset = queryset.filter(targets__persona=data["persona"])
        if data.get("channel"):
            queryset = queryset.filter(channel=data["channel"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        status = data.get("status") if by_status else None
        if status == OLDER:
            queryset = queryset.filter(concluded_long_ago())
        elif status:
            queryset = queryset.filter(status=status)
        return queryset.order_by(*self.ordering())

    def ordering(self) -> list:
        data = self.cleaned_data if self.is_valid() else {}
        sort = data.get("sort") or "-ice"
        if sort == "-ice":
            return [-(F("impact") + F("confidence") + F("ease")), "title", "pk"]
        if sort == "title":
            return ["title", "pk"]
        return ["-updated_at", "pk"]

    @property
    def is_filtered(self) -> bool:
        data = self.cleaned_data if self.is_valid() else {}
        return any(data.get(k) for k in ("persona", "channel", "kind", "show", "status"))

    def query(self, **changes) -> str:
        """This filter's query string with ``changes`` (the list view's status)."""
        data = self.cleaned_data if self.is_valid() else {}
        params = {key: data.get(key) for key in self.fields} | changes
        return urlencode(
            {key: getattr(value, "pk", value) for key, value in params.items() if value}
        )

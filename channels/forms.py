from __future__ import annotations

from django import forms

from channels.models import Category, Channel, ChannelUsage
from personas.models import Persona
from workspaces.models import Workspace
from workspaces.versioning import VersionedForm

SHARE_WIDGET = forms.NumberInput(attrs={"min": 0, "step": "any", "inputmode": "decimal"})


class ChannelForm(forms.ModelForm):
    class Meta:
        model = Channel
        fields = ["name", "category", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"name": {"required": "Give the channel a name."}}

    def __init__(self, *args, workspace: Workspace, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Channel.objects.in_workspace(self.workspace).filter(name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(f"“{clash.first().name}” is already in the catalog.")
        return name


class UsageAddForm(forms.ModelForm):
    """Add a channel to a persona's mix: from the catalog, or a new channel named inline."""

    channel = forms.ModelChoiceField(
        queryset=Channel.objects.none(), required=False, empty_label="Pick from the catalog…"
    )
    new_channel = forms.CharField(
        label="or a new channel",
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Substack"}),
    )
    new_channel_category = forms.ChoiceField(
        label="Category", choices=Category.choices, initial=Category.OTHER, required=False
    )

    class Meta:
        model = ChannelUsage
        fields = ["share", "stage", "trend", "evidence", "last_verified", "notes"]
        widgets = {
            "share": SHARE_WIDGET,
            "last_verified": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    field_order = [
        "channel",
        "new_channel",
        "new_channel_category",
        "share",
        "stage",
        "trend",
        "evidence",
        "last_verified",
        "notes",
    ]

    def __init__(self, *args, persona: Persona, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.persona = persona
        used = ChannelUsage.objects.in_workspace(persona.workspace).filter(persona=persona)
        self.fields["channel"].queryset = (
            Channel.objects.in_workspace(persona.workspace)
            .filter(archived=False)
            .exclude(pk__in=used.values("channel"))
            .order_by("name")
        )

    def clean(self) -> dict:
        data = super().clean()
        channel, new_name = data.get("channel"), (data.get("new_channel") or "").strip()
        if channel and new_name:
            self.add_error(
                "new_channel", "Pick a channel from the catalog or name a new one, not both."
            )
        elif not channel and not new_name and "channel" not in self.errors:
            self.add_error("channel", "Pick a channel, or name a new one.")
        elif new_name:
            existing = (
                Channel.objects.in_workspace(self.persona.workspace)
                .filter(name__iexact=new_name)
                .first()
            )
            if (
                existing
                and ChannelUsage.objects.filter(persona=self.persona, channel=existing).exists()
            ):
                self.add_error("new_channel", f"{existing.name} is already in this persona's mix.")
        return data


class UsageForm(VersionedForm):
    """A usage of the mix edited whole: the same fields as adding one."""

    class Meta(UsageAddForm.Meta):
        pass


class UsageShareForm(VersionedForm):
    """The quick share edit in the mix table."""

    class Meta:
        model = ChannelUsage
        fields = ["share"]


class UsageStageForm(VersionedForm):
    """Promote an emerging channel to core, or back."""

    class Meta:
        model = ChannelUsage
        fields = ["stage"]


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Channel.objects.none(),
        label="Merge into",
        empty_label="Choose the channel to keep…",
    )

    def __init__(self, *args, source: Channel, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            Channel.objects.in_workspace(source.workspace)
            .filter(archived=False)
            .exclude(pk=source.pk)
            .order_by("name")
        )

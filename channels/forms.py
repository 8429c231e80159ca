from __future__ import annotations

from django import forms

from channels.models import Category, Channel, ChannelUsage, Stage
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


class UsageRowForm(forms.Form):
    """One row of several channels added at once: a channel from the catalog or a
    new one, its share and its stage. A row left empty is skipped."""

    channel = forms.ModelChoiceField(
        queryset=Channel.objects.none(), required=False, empty_label="Pick a channel…"
    )
    new_channel = forms.CharField(required=False, max_length=80)
    share = forms.DecimalField(
        required=False, min_value=0, max_digits=8, decimal_places=2, widget=SHARE_WIDGET
    )
    stage = forms.ChoiceField(choices=Stage.choices, initial=Stage.CORE)

    def __init__(
        self, *args, workspace: Workspace, row: int, persona: Persona | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.persona = persona
        channels = Channel.objects.in_workspace(workspace).order_by("name")
        if persona is not None:  # an existing persona: the channels not yet in the mix
            used = ChannelUsage.objects.in_workspace(workspace).filter(persona=persona)
            channels = channels.filter(archived=False).exclude(pk__in=used.values("channel"))
        self.fields["channel"].queryset = channels
        for name, label in [
            ("channel", "Channel"),
            ("new_channel", "or a new one"),
            ("share", "Share"),
            ("stage", "Stage"),
        ]:
            self.fields[name].label = f"{label} ({row})"

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("channel") and not (data.get("new_channel") or "").strip()

    def clean(self) -> dict:
        data = super().clean()
        new_name = (data.get("new_channel") or "").strip()
        if data.get("channel") and new_name:
            self.add_error("new_channel", "Pick a channel or name a new one, not both.")
        elif self.is_blank() and data.get("share") is not None:
            self.add_error("channel", "Which channel is this share for?")
        elif new_name and self.persona is not None:
            existing = (
                Channel.objects.in_workspace(self.persona.workspace)
                .filter(name__iexact=new_name)
                .first()
            )
            if existing and existing.usages.filter(persona=self.persona).exists():
                self.add_error("new_channel", f"{existing.name} is already in this persona's mix.")
        return data

    def channel_key(self) -> str:
        channel = self.cleaned_data.get("channel")
        return channel.name.lower() if channel else self.cleaned_data["new_channel"].strip().lower()


class BaseUsageRowsFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "row": (index or 0) + 1}

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # Every row picks from the same channels: one query for all the pickers.
        if not hasattr(self, "_channel_choices"):
            self._channel_choices = list(iter(form.fields["channel"].choices))  # no COUNT
        form.fields["channel"].choices = self._channel_choices
        return form

    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            if form.is_blank():
                continue
            key = form.channel_key()
            if key in seen:
                form.add_error("channel", "This channel is already in another row.")
            seen.add(key)
        if not seen and self.form_kwargs.get("persona") is not None and self.forms:
            # Adding to an existing persona: at least one channel.
            self.forms[0].add_error("channel", "Pick a channel, or name a new one.")

    def filled(self) -> list[UsageRowForm]:
        return [form for form in self.forms if not form.is_blank()]

    def as_typed(self) -> list[dict]:
        """What each row holds as typed, checked or not: to show again with one more row."""
        return [{name: form[name].value() for name in form.fields} for form in self.forms]


USAGE_ROWS_PREFIX = "channels"

# Three rows to fill; at most ten rows are read from one request.
UsageRowsFormSet = forms.formset_factory(
    UsageRowForm, formset=BaseUsageRowsFormSet, extra=3, max_num=10, absolute_max=10,
    validate_max=True,
)  # fmt: skip


def usage_rows(
    data=None, *, persona: Persona, initial: list[dict] | None = None, extra: int = 3
) -> BaseUsageRowsFormSet:
    """Rows to add several channels to an existing persona's mix in one form."""
    rows = forms.formset_factory(
        UsageRowForm, formset=BaseUsageRowsFormSet, extra=extra, max_num=10, absolute_max=10,
        validate_max=True,
    )  # fmt: skip
    return rows(
        data,
        initial=initial,
        prefix=USAGE_ROWS_PREFIX,
        form_kwargs={"workspace": persona.workspace, "persona": persona},
    )


def usage_rows_save(rows: BaseUsageRowsFormSet, *, persona: Persona, user) -> list[ChannelUsage]:
    """Add each filled row of a valid formset to the persona's mix."""
    from channels import services

    added = []
    for form in rows.filled():
        data = form.cleaned_data
        channel = data["channel"] or services.channel_find_or_create(
            workspace=persona.workspace, name=data["new_channel"], category="other", user=user
        )
        usage = ChannelUsage(channel=channel, stage=data["stage"])
        if data.get("share") is not None:
            usage.share = data["share"]
        added.append(services.usage_add(persona=persona, usage=usage, user=user))
    return added

from __future__ import annotations

from django import forms

from personas.models import Persona, ResearchNote
from workspaces.models import AdoptionStage
from workspaces.versioning import VersionedForm


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


NAME_ERRORS = {"name": {"required": "Give the persona a name."}}


def personas_field(
    label: str, required: str, help_text: str = ""
) -> forms.ModelMultipleChoiceField:
    """Personas picked by ticking boxes; the form sets the queryset to its workspace's."""
    return forms.ModelMultipleChoiceField(
        queryset=Persona.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=label,
        error_messages={"required": required},
        help_text=help_text,
    )


# The new-persona form's groups: the persona page's sections.
CREATE_SECTIONS = [
    ("Profile", ["name", "role_title", "segment", "company_size", "adoption_stage", "summary"]),
    ("Goals & pains", ["goals", "challenges", "objections", "buying_triggers"]),
    ("Empathy map", ["says", "thinks", "does", "feels"]),
]


class PersonaCreateForm(forms.ModelForm):
    """A whole persona in one form; only the name is required."""

    class Meta:
        model = Persona
        fields = [
            "name", "role_title", "segment", "company_size", "adoption_stage", "summary",
            "goals", "challenges", "objections", "buying_triggers",
            "says", "thinks", "does", "feels",
        ]  # fmt: skip
        error_messages = NAME_ERRORS
        widgets = {
            "name": forms.TextInput(attrs={"autofocus": True, "placeholder": "Operations Olivia"}),
            "role_title": forms.TextInput(attrs={"placeholder": "Head of Operations"}),
            "segment": forms.TextInput(attrs={"placeholder": "Logistics, mid-market"}),
            "summary": _textarea(3),
            **{name: _textarea(3) for _, names in CREATE_SECTIONS[1:] for name in names},
        }

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in CREATE_SECTIONS]


class ProfileForm(VersionedForm):
    class Meta:
        model = Persona
        fields = ["name", "role_title", "segment", "company_size", "summary", "quote"]
        error_messages = NAME_ERRORS
        widgets = {"summary": _textarea(4), "quote": _textarea(2)}


class GoalsForm(VersionedForm):
    class Meta:
        model = Persona
        fields = ["goals", "challenges", "objections", "buying_triggers"]
        widgets = {name: _textarea(4) for name in fields}


class EmpathyForm(VersionedForm):
    class Meta:
        model = Persona
        fields = ["says", "thinks", "does", "feels"]
        widgets = {name: _textarea(3) for name in fields}


class AdoptionForm(VersionedForm):
    class Meta:
        model = Persona
        fields = ["adoption_stage", "priority", "present_share_override"]
        widgets = {
            "priority": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "present_share_override": forms.NumberInput(
                attrs={"min": 0, "max": 100, "placeholder": "Workspace default"}
            ),
        }


class ResearchNoteForm(forms.ModelForm):
    link = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://…"}),
        help_text="Optional: where the research lives.",
    )

    class Meta:
        model = ResearchNote
        fields = ["kind", "date", "summary", "link"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": _textarea(2),
        }


class PersonaFilterForm(forms.Form):
    """The list page's search and filters; every value optional and bounded."""

    STATUS_CHOICES = [("active", "Active"), ("archived", "Archived"), ("all", "All")]
    SORT_CHOICES = [
        ("name", "Name"),
        ("-priority", "Priority"),
        ("-updated_at", "Recently updated"),
    ]

    q = forms.CharField(required=False, max_length=100, label="Search")
    stage = forms.ChoiceField(
        required=False,
        choices=[("", "Any adoption stage"), *AdoptionStage.choices],
        label="Adoption stage",
    )
    status = forms.ChoiceField(required=False, choices=STATUS_CHOICES, label="Show")
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, label="Sort by")

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def filter(self, queryset):
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or "active"
        if status == "active":
            queryset = queryset.filter(archived=False)
        elif status == "archived":
            queryset = queryset.filter(archived=True)
        if data.get("stage"):
            queryset = queryset.filter(adoption_stage=data["stage"])
        queryset = queryset.search(data.get("q", ""))
        sort = data.get("sort") or "name"
        return queryset.order_by(sort, "name", "pk")

    @property
    def is_filtered(self) -> bool:
        data = self.cleaned_data if self.is_valid() else {}
        return bool(data.get("q") or data.get("stage") or data.get("status") in ("archived", "all"))


class Section:
    def __init__(self, key: str, title: str, form_class: type[VersionedForm]) -> None:
        self.key, self.title, self.form_class = key, title, form_class


SECTIONS: dict[str, Section] = {
    section.key: section
    for section in [
        Section("profile", "Profile", ProfileForm),
        Section("goals", "Goals & pains", GoalsForm),
        Section("empathy", "Empathy map", EmpathyForm),
        Section("adoption", "Adoption & ratio", AdoptionForm),
    ]
}

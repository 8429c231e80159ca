from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from workspaces import backup
from workspaces.models import Invitation, Membership, Workspace
from workspaces.roles import Role
from workspaces.services import slug_taken


def _name(form: forms.Form) -> str:
    name = form.cleaned_data["name"].strip()
    if not name:
        raise forms.ValidationError("Give the workspace a name.")
    return name


def _free_slug(slug: str, workspace: Workspace | None = None) -> str:
    """``slug``, unless another workspace uses it (or used it: old addresses stay theirs)."""
    if slug and slug_taken(slug, workspace):
        raise forms.ValidationError("Another workspace uses this address. Choose another.")
    return slug


class WorkspaceCreateForm(forms.ModelForm):
    class Meta:
        model = Workspace
        fields = ["name", "slug"]
        help_texts = {"slug": "Optional: made from the name when left empty."}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["name"].widget.attrs["autofocus"] = True

    def clean_name(self) -> str:
        return _name(self)

    def clean_slug(self) -> str:
        return _free_slug(self.cleaned_data.get("slug", ""))


class WorkspaceSettingsForm(forms.ModelForm):
    class Meta:
        model = Workspace
        fields = [
            "name", "slug", "default_present_share", "effort_unit", "stale_after_days",
            "history_days", "drift_tolerance", "pace_tolerance",
            "suggest_innovator", "suggest_early_adopter", "suggest_early_majority",
            "suggest_late_majority", "suggest_laggard", "digest_weekday", "digest_hour", "time_zone",
        ]  # fmt: skip
        labels = {
            "suggest_innovator": "Innovator",
            "suggest_early_adopter": "Early adopter",
            "suggest_early_majority": "Early majority",
            "suggest_late_majority": "Late majority",
            "suggest_laggard": "Laggard",
        }
        help_texts = {
            "slug": "Changing it keeps the old addresses working for members: they are sent to the new one.",
        }

    SUGGESTIONS = [
        "suggest_innovator",
        "suggest_early_adopter",
        "suggest_early_majority",
        "suggest_late_majority",
        "suggest_laggard",
    ]

    # The digest's moment and the pace tolerance may be left out of a form sent
    # without them: they keep their values.
    DIGEST = ("digest_weekday", "digest_hour", "time_zone", "pace_tolerance")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.DIGEST:
            self.fields[name].required = False

    def _clean_digest(self, name: str):
        value = self.cleaned_data.get(name)
        return getattr(self.instance, name) if value in (None, "") else value

    def clean_digest_weekday(self):
        return self._clean_digest("digest_weekday")

    def clean_digest_hour(self):
        return self._clean_digest("digest_hour")

    def clean_time_zone(self):
        return self._clean_digest("time_zone")

    def clean_pace_tolerance(self):
        return self._clean_digest("pace_tolerance")

    def clean_name(self) -> str:
        return _name(self)

    def clean_slug(self) -> str:
        return _free_slug(self.cleaned_data["slug"], self.instance)

    def validate_unique(self) -> None:
        # The slug's uniqueness, aliases included, is checked in clean_slug.
        exclude = self._get_validation_exclusions()
        exclude.add("slug")
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as e:
            self._update_errors(e)


class InviteForm(forms.Form):
    email = forms.EmailField(max_length=254, label="E-mail address")
    role = forms.ChoiceField(
        choices=Role.choices,
        initial=Role.MARKETER,
        help_text="Owners can do everything; marketers build; reviewers read and approve plans.",
    )

    def __init__(self, *args, workspace: Workspace, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if Membership.objects.filter(workspace=self.workspace, user__email__iexact=email).exists():
            raise forms.ValidationError("This person is already a member of the workspace.")
        if (
            Invitation.objects.pending()
            .filter(workspace=self.workspace, email__iexact=email)
            .exists()
        ):
            raise forms.ValidationError(
                "An invitation to this address is already waiting. Resend it from the list below."
            )
        return email


class OpenLinkForm(forms.Form):
    """An invitation anyone holding the link may use."""

    prefix = "link"

    role = forms.ChoiceField(
        choices=Role.choices,
        initial=Role.REVIEWER,
        label="Joins as",
        help_text="Anyone who has the link joins with this role, until it expires or you revoke it.",
    )
    days = forms.TypedChoiceField(
        coerce=int,
        choices=[(1, "1 day"), (7, "7 days"), (30, "30 days")],
        initial=7,
        label="Works for",
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class WorkspaceDeleteForm(forms.Form):
    confirm = forms.CharField(max_length=50, label="Type the workspace's address to confirm")

    def __init__(self, *args, workspace: Workspace, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.fields["confirm"].help_text = f"Type “{workspace.slug}”."

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value != self.workspace.slug:
            raise forms.ValidationError(
                f"Type “{self.workspace.slug}” exactly to delete the workspace."
            )
        return value


class BackupImportForm(forms.Form):
    """A backup file and the address of the workspace it becomes."""

    file = forms.FileField(
        label="Backup file",
        help_text="A .json backup downloaded from a workspace's settings page, 20 MB at most.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    slug = forms.SlugField(
        max_length=50,
        label="Address of the new workspace",
        help_text="Letters, numbers and hyphens, such as northwind-copy.",
    )
    name = forms.CharField(
        max_length=80,
        required=False,
        label="Name of the new workspace",
        help_text="Empty: the name in the backup.",
    )

    document: dict[str, Any] | None = None  # the file's contents, once valid

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > backup.MAX_BYTES:
            raise forms.ValidationError("This file is larger than 20 MB.")
        try:
            document = backup.backup_parse(upload.read())
            backup.backup_check(document)
        except backup.BackupRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        self.document = document
        return upload

    def clean_slug(self) -> str:
        return _free_slug(self.cleaned_data["slug"])

from __future__ import annotations

from django import forms

from sharing.services import DEFAULT_EXPIRY_DAYS

EXPIRY_CHOICES = [
    (7, "7 days"),
    (30, "30 days"),
    (90, "90 days"),
    (365, "A year"),
    (0, "Until I revoke it"),
]


class ShareLinkForm(forms.Form):
    expires_in = forms.TypedChoiceField(
        label="Works for",
        choices=EXPIRY_CHOICES,
        coerce=int,
        initial=DEFAULT_EXPIRY_DAYS,
        help_text="After that the link answers “expired”. You can revoke it sooner.",
    )
    note = forms.CharField(
        label="Who is it for?",
        max_length=120,
        required=False,
        help_text="Only your team sees this, in the list of shared links.",
        widget=forms.TextInput(attrs={"placeholder": "Sales team, ACME board…"}),
    )


class ShareFilterForm(forms.Form):
    state = forms.ChoiceField(
        choices=[("active", "Active"), ("ended", "Expired or revoked")], required=False
    )
    page = forms.IntegerField(min_value=1, required=False)

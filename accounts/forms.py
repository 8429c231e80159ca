from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, AuthenticationForm, UserChangeForm

from accounts.models import User


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That e-mail address and password do not match an account.",
    }


class UserAdminCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name")


class UserAdminChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class ProfileForm(forms.ModelForm):
    """Name and e-mail; changing the e-mail asks for the password."""

    current_password = forms.CharField(
        label="Current password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Needed only to change your e-mail address.",
    )

    class Meta:
        model = User
        fields = ["name", "email"]
        help_texts = {"email": "You sign in with it; invitations and password resets go there."}

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another account uses this e-mail address.")
        return email

    def __init__(self, *args, locked_message: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # While password checks are paused for this account, the password is not
        # even checked: the lock-out's sentence is the field's error.
        self.locked_message = locked_message
        self.password_wrong = False

    def clean(self) -> dict:
        data = super().clean()
        changed = "email" in self.changed_data and data.get("email")
        if not changed:
            return data
        if self.locked_message:
            self.add_error("current_password", self.locked_message)
        elif not self.instance.check_password(data.get("current_password") or ""):
            self.password_wrong = True
            self.add_error(
                "current_password", "Enter your current password to change your e-mail address."
            )
        return data


class SignUpForm(forms.Form):
    """Joining through an invitation: the e-mail is the one invited, or, for a
    link open to anyone, one the person gives that no account uses yet."""

    email = forms.EmailField(
        max_length=254,
        label="E-mail address",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name = forms.CharField(max_length=120, label="Your name")
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email
        if email is not None:
            del self.fields["email"]

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account uses this address: sign in with it, then open the link again."
            )
        return email

    def clean(self) -> dict:
        from django.contrib.auth import password_validation

        data = super().clean()
        if self.email is None:
            self.email = data.get("email") or ""
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            try:
                password_validation.validate_password(
                    first, User(email=self.email, name=data.get("name", ""))
                )
            except forms.ValidationError as problems:
                self.add_error("password1", problems)
        return data


class ApiTokenForm(forms.Form):
    """Names a new API token. Prefixed: it shares the profile page with ProfileForm."""

    prefix = "token"

    name = forms.CharField(
        max_length=80, label="Token name", help_text='What will use it: "Looker", "weekly export".'
    )

from django.contrib import admin

from sharing.models import ShareLink
from workspaces.admin import AddedInTheApp


@admin.register(ShareLink)
class ShareLinkAdmin(AddedInTheApp, admin.ModelAdmin):
    """Links are made in the app, which shows their token once."""

    list_display = [
        "__str__", "workspace", "created_by", "created_at", "expires_at", "revoked_at", "view_count",
    ]  # fmt: skip
    list_filter = ["kind", "workspace"]
    list_select_related = ["workspace", "persona", "plan", "created_by"]
    readonly_fields = ["kind", "persona", "plan"]
    exclude = ["token_hash"]

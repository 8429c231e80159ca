from django.contrib import admin

from sharing.models import ShareLink


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "workspace",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "view_count",
    ]
    list_filter = ["kind", "workspace"]
    list_select_related = ["workspace", "persona", "plan", "created_by"]
    readonly_fields = [
        "workspace",
        "kind",
        "persona",
        "plan",
        "created_by",
        "created_at",
        "revoked_at",
        "revoked_by",
        "view_count",
        "last_viewed_at",
    ]
    exclude = ["token_hash"]

    def has_add_permission(self, request) -> bool:
        return False  # a link is made from the app, which shows its token once

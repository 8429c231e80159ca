from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from workspaces.models import Membership, Workspace


class AddedInTheApp:
    """Workspace data is created in the app, where its workspace is known: the
    admin reads and corrects it, never adds it, and what the app sets (the
    workspace, the version, who did what and when) shows but is never edited."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        declared = list(super().get_readonly_fields(request, obj))
        if self.fields:  # a form of chosen fields (an inline row) says it all
            return declared
        hidden = set(self.exclude or ())
        automatic = [
            field.name
            for field in self.model._meta.concrete_fields
            if not field.editable and not field.primary_key and field.name not in hidden
        ]
        return [*automatic, *(name for name in declared if name not in automatic)]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Workspace)
class WorkspaceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "default_present_share", "effort_unit", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "workspace", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__name", "workspace__name", "workspace__slug"]
    autocomplete_fields = ["user", "workspace"]
    list_select_related = ["user", "workspace"]

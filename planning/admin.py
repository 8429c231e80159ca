from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from planning.models import Plan, PlanLine, PlanPersona, ReviewStep
from workspaces.admin import AddedInTheApp


class PlanPersonaInline(AddedInTheApp, admin.TabularInline):
    model = PlanPersona
    extra = 0
    fields = ["persona", "weight", "present_share_override"]
    readonly_fields = ["persona"]


class ReviewStepInline(AddedInTheApp, admin.TabularInline):
    model = ReviewStep
    extra = 0
    fields = ["action", "user", "at", "comment"]
    readonly_fields = ["action", "user", "at", "comment"]


@admin.register(Plan)
class PlanAdmin(AddedInTheApp, SimpleHistoryAdmin):
    list_display = [
        "name",
        "workspace",
        "start",
        "end",
        "total_effort",
        "present_share",
        "status",
        "approved_at",
    ]
    list_filter = ["status"]
    search_fields = ["name", "workspace__name"]
    list_select_related = ["workspace"]
    inlines = [PlanPersonaInline, ReviewStepInline]


@admin.register(PlanLine)
class PlanLineAdmin(AddedInTheApp, admin.ModelAdmin):
    list_display = [
        "plan", "persona_name", "bucket", "kind", "channel_name", "experiment_name", "amount",
    ]  # fmt: skip
    list_filter = ["bucket", "kind"]
    search_fields = ["plan__name", "persona_name", "channel_name", "experiment_name"]
    list_select_related = ["plan"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # approved figures are never edited


@admin.register(ReviewStep)
class ReviewStepAdmin(AddedInTheApp, admin.ModelAdmin):
    list_display = ["plan", "action", "user", "at"]
    list_filter = ["action"]
    search_fields = ["plan__name", "comment"]
    list_select_related = ["plan", "user"]

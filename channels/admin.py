from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from channels.models import Channel, ChannelUsage, UsageObservation
from workspaces.admin import AddedInTheApp


@admin.register(Channel)
class ChannelAdmin(AddedInTheApp, SimpleHistoryAdmin):
    list_display = ["name", "workspace", "category", "created_at"]
    list_filter = ["category"]
    search_fields = ["name", "description", "workspace__name"]
    list_select_related = ["workspace"]


@admin.register(ChannelUsage)
class ChannelUsageAdmin(AddedInTheApp, SimpleHistoryAdmin):
    list_display = [
        "persona",
        "channel",
        "share",
        "stage",
        "trend",
        "evidence",
        "last_verified",
        "workspace",
    ]
    list_filter = ["stage", "trend", "evidence"]
    search_fields = ["persona__name", "channel__name", "workspace__name"]
    list_select_related = ["persona", "channel", "workspace"]
    readonly_fields = ["persona", "channel"]


@admin.register(UsageObservation)
class UsageObservationAdmin(AddedInTheApp, admin.ModelAdmin):
    list_display = [
        "usage",
        "observed_on",
        "share_before",
        "share",
        "stage",
        "trend",
        "recorded_by",
    ]
    list_filter = ["stage", "trend"]
    search_fields = ["usage__persona__name", "usage__channel__name"]
    list_select_related = ["usage__persona", "usage__channel", "recorded_by"]
    readonly_fields = ["usage"]

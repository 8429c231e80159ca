from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from experiments.models import Experiment, ExperimentResult
from workspaces.admin import AddedInTheApp


class ResultInline(AddedInTheApp, admin.TabularInline):
    model = ExperimentResult
    extra = 0
    fields = ["date", "value", "note"]


@admin.register(Experiment)
class ExperimentAdmin(AddedInTheApp, SimpleHistoryAdmin):
    list_display = [
        "title",
        "workspace",
        "kind",
        "status",
        "outcome",
        "channel",
        "impact",
        "confidence",
        "ease",
        "updated_at",
    ]
    list_filter = ["status", "kind", "outcome"]
    search_fields = ["title", "hypothesis", "metric", "workspace__name"]
    list_select_related = ["workspace", "channel"]
    inlines = [ResultInline]


@admin.register(ExperimentResult)
class ExperimentResultAdmin(AddedInTheApp, SimpleHistoryAdmin):
    list_display = ["experiment", "date", "value", "workspace"]
    search_fields = ["experiment__title", "note"]
    list_select_related = ["experiment", "workspace"]

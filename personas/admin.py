from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from personas.models import Persona, ResearchNote
from workspaces.admin import AddedInTheApp


class ResearchNoteInline(AddedInTheApp, admin.TabularInline):
    model = ResearchNote
    extra = 0
    fields = ["kind", "date", "summary", "link"]


@admin.register(Persona)
class PersonaAdmin(AddedInTheApp, SimpleHistoryAdmin):
    list_display = [
        "name", "workspace", "role_title", "adoption_stage", "priority",
        "present_share_override", "archived", "updated_at",
    ]  # fmt: skip
    list_filter = ["adoption_stage", "archived", "priority"]
    search_fields = ["name", "role_title", "segment", "workspace__name"]
    list_select_related = ["workspace"]
    readonly_fields = [
        "workspace",
        "version",
        "created_at",
        "updated_at",
        "created_by",
        "updated_by",
    ]
    inlines = [ResearchNoteInline]


@admin.register(ResearchNote)
class ResearchNoteAdmin(AddedInTheApp, SimpleHistoryAdmin):
    list_display = ["persona", "kind", "date", "workspace"]
    list_filter = ["kind"]
    search_fields = ["summary", "persona__name"]
    list_select_related = ["persona", "workspace"]
    readonly_fields = ["workspace"]

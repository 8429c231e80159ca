from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from personas.models import Persona, ResearchNote
from workspaces.admin import AddedInTheApp

# Links to research are typed without a scheme as often as with one: https, as in the app.
LINKS = {models.URLField: {"assume_scheme": "https"}}


class ResearchNoteInline(AddedInTheApp, admin.TabularInline):
    model = ResearchNote
    extra = 0
    formfield_overrides = LINKS
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
    inlines = [ResearchNoteInline]


@admin.register(ResearchNote)
class ResearchNoteAdmin(AddedInTheApp, SimpleHistoryAdmin):
    formfield_overrides = LINKS
    list_display = ["persona", "kind", "date", "workspace"]
    list_filter = ["kind"]
    search_fields = ["summary", "persona__name"]
    list_select_related = ["persona", "workspace"]

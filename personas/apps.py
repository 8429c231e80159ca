from django.apps import AppConfig


class PersonasConfig(AppConfig):
    name = "personas"

    def ready(self) -> None:
        from functools import partial

        from personas import demo, imports, services
        from personas.forms import SECTIONS
        from personas.models import Persona, ResearchNote
        from workspaces import registry
        from workspaces.revision import ROW_MARKS

        registry.IMPORT_KINDS.append(imports.KIND)
        ROW_MARKS[Persona._meta.label_lower] = services.mark_persona
        registry.DEMO_SEEDERS.append(demo.seed_personas)
        registry.BACKUP_SECTIONS.extend(
            [
                registry.BackupSection("personas", Persona),
                registry.BackupSection("research_notes", ResearchNote, {"persona": "personas"}),
            ]
        )
        sections = [section.form_class.Meta.fields for section in SECTIONS.values()]
        registry.HISTORY_KINDS.extend(
            [
                registry.HistoryKind(
                    "persona",
                    "Personas",
                    "persona",
                    Persona,
                    name=lambda record: record.name,
                    page="personas:history",
                    hidden=frozenset({"reviewed_by"}),
                    undo=partial(services.persona_undo, sections=sections),
                    undo_fields=frozenset(name for fields in sections for name in fields),
                ),
                registry.HistoryKind(
                    "research_note",
                    "Research notes",
                    "research note",
                    ResearchNote,
                    name=lambda record: (
                        f"{record.get_kind_display().lower()} of {record.date:%-d %b %Y}"
                    ),
                    parent=lambda record: ("persona", record.persona_id),
                ),
            ]
        )

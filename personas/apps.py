from django.apps import AppConfig


class PersonasConfig(AppConfig):
    name = "personas"

    def ready(self) -> None:
        from personas import demo, imports
        from personas.models import Persona, ResearchNote
        from workspaces import registry

        registry.IMPORT_KINDS.append(imports.KIND)
        registry.DEMO_SEEDERS.append(demo.seed_personas)
        registry.BACKUP_SECTIONS.extend(
            [
                registry.BackupSection("personas", Persona),
                registry.BackupSection("research_notes", ResearchNote, {"persona": "personas"}),
            ]
        )

from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "planning"

    def ready(self) -> None:
        self._register_with_workspaces()
        self._register_history()
        _tell_notifications()

    def _register_history(self) -> None:
        """The kinds of planning data whose changes the history pages tell."""
        from planning.models import Actual, Plan, PlanPersona, SignalDismissal
        from workspaces import registry
        from workspaces.history import shown

        registry.HISTORY_KINDS.extend(
            [
                registry.HistoryKind(
                    "plan",
                    "Plans",
                    "plan",
                    Plan,
                    name=lambda record: record.name,
                    page="planning:plan_history",
                ),
                registry.HistoryKind(
                    "plan_member",
                    "Plan members",
                    "plan member",
                    PlanPersona,
                    name=lambda r: f"{shown(r, 'persona')} in {shown(r, 'plan')}",
                    parent=lambda record: ("plan", record.plan_id),
                ),
                registry.HistoryKind(
                    "actual",
                    "Recorded effort",
                    "recorded effort",
                    Actual,
                    name=lambda r: (
                        f"{shown(r, 'amount')} on {shown(r, 'channel') if r.channel_id else shown(r, 'experiment')}"
                        f" ({shown(r, 'date')})"
                    ),
                    page="planning:actual_history",
                    parent=lambda record: ("plan", record.plan_id),
                ),
                # Dismissing a signal creates the row, dismissing it again changes
                # it, restoring it deletes it: the feed says who did which.
                registry.HistoryKind(
                    "signal",
                    "Signal dismissals",
                    "signal dismissal",
                    SignalDismissal,
                    name=lambda record: record.text,
                    hidden=frozenset({"key", "kind", "fingerprint", "by", "at"}),
                ),
            ]
        )

    def _register_with_workspaces(self) -> None:
        from channels.registry import CHANNEL_LINKS, ChannelLink
        from planning import demo, exports, imports
        from planning.models import (
            Actual,
            Plan,
            PlanLine,
            PlanPersona,
            ReviewStep,
        )
        from workspaces import registry

        linked = {"channel": "channels", "experiment": "experiments", "persona": "personas"}
        registry.IMPORT_KINDS.append(imports.KIND)
        registry.EXPORT_KINDS.extend([exports.ACTUALS, exports.PLAN, exports.DASHBOARD])
        registry.DEMO_SEEDERS.append(demo.seed_planning)
        # Effort recorded on a channel follows it into a merge; deleting the
        # channel for good takes it along (the confirmation page counts it).
        CHANNEL_LINKS.append(
            ChannelLink(
                Actual, goes_with=("record of effort spent on it", "records of effort spent on it")
            )
        )
        registry.BACKUP_SECTIONS.extend(
            [
                registry.BackupSection("plans", Plan, {"copied_from": "plans"}),
                registry.BackupSection(
                    "plan_personas", PlanPersona, {"plan": "plans", "persona": "personas"}
                ),
                registry.BackupSection("plan_lines", PlanLine, {"plan": "plans", **linked}),
                registry.BackupSection("review_steps", ReviewStep, {"plan": "plans"}),
                registry.BackupSection("actuals", Actual, {"plan": "plans", **linked}),
            ]
        )


def _tell_notifications() -> None:
    """Planning's pressing signals, and its part of the weekly digest."""
    from notifications import registry as notices
    from planning import digest

    notices.SIGNAL_SOURCES.append(digest.pressing_signals)
    notices.DIGEST_SECTIONS.append(digest.digest_sections)

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from django.db.models import Count, OuterRef, Subquery
        from django.db.models.functions import Coalesce

        from notifications import schedules, services
        from notifications.models import Notification
        from workspaces import registry, revision

        registry.JOB_FINISHED.append(services.job_finished)
        revision.NOT_DATA.update({"notifications.notification", "notifications.signalseen"})
        registry.INVITATION_ACCEPTED.append(services.member_joined)
        registry.DEMO_SEEDING.append(schedules.seeding_demo)

        def unread():
            # The header's bell, read with the membership: no query of its own.
            count = (
                Notification.objects.filter(
                    workspace=OuterRef("workspace"),
                    recipient=OuterRef("user"),
                    in_app=True,
                    read_at__isnull=True,
                )
                .order_by()
                .values("recipient")
                .annotate(n=Count("pk"))
                .values("n")
            )
            return Coalesce(Subquery(count), 0)

        registry.MEMBERSHIP_ANNOTATIONS["unread_notifications"] = unread

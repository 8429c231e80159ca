"""Notification work for the worker: e-mails, each sent once."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from notifications import digest, emails
from notifications.kinds import DEFAULT_DELIVERY, Kind, wants
from notifications.models import Notification, Preference
from pacekeeper.tasks import retrying_task
from workspaces.models import Job, Membership


def _email_failed(args: tuple, kwargs: dict, problem: BaseException, final: bool) -> None:
    """An e-mail that could not be sent after every attempt shows under the
    workspace's background work, for its owners."""
    if not final:
        return
    notification = Notification.objects.select_related("recipient").filter(pk=args[0]).first()
    if notification is None:
        return
    Job.objects.create(
        workspace_id=notification.workspace_id,
        title=f"E-mail to {notification.recipient.email}: {notification.title}"[:200],
        status=Job.Status.FAILED,
        attempts=EMAIL_ATTEMPTS,
        message=f"The e-mail could not be sent: {problem}"[:2000],
        finished_at=timezone.now(),
    )


EMAIL_ATTEMPTS = 5


@retrying_task(attempts=EMAIL_ATTEMPTS, backoff=60, on_failure=_email_failed)
def send_notification_email(notification_id: int, *, attempt: int = 1) -> str:
    """E-mail one notification. Sent once: a notification already e-mailed is
    left alone, and so is one whose person has left the workspace since."""
    notification = (
        Notification.objects.select_related("workspace", "recipient", "actor")
        .filter(pk=notification_id, email=True, emailed_at__isnull=True)
        .first()
    )
    if notification is None:
        return "already sent"
    if not Membership.objects.filter(
        workspace_id=notification.workspace_id, user_id=notification.recipient_id
    ).exists():
        return "no longer a member"
    chosen = Preference.objects.filter(user=notification.recipient_id, kind=notification.kind)
    if not wants(
        chosen.values_list("delivery", flat=True).first() or DEFAULT_DELIVERY[notification.kind]
    )[1]:
        return "e-mails of this kind are turned off"
    # Claimed before sending, so two runs cannot both send it; released on failure.
    mine = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True)
    if not mine.update(emailed_at=timezone.now()):
        return "already sent"
    try:
        _send(notification)
    except Exception:
        Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
        raise
    return "sent"


def _send(notification: Notification) -> None:
    if notification.kind == Kind.DIGEST:
        _send_digest(notification)
        return
    emails.send(
        to=notification.recipient.email,
        user_id=notification.recipient_id,
        kind=notification.kind,
        subject=f"{notification.title} · {notification.workspace.name}",
        template="notifications/email/notification",
        context={
            "notification": notification,
            "workspace_name": notification.workspace.name,
            "link": emails.absolute(notification.url) if notification.url else "",
            "preferences_url": emails.absolute(reverse("notifications:preferences")),
        },
    )


def _send_digest(notification: Notification) -> None:
    workspace = notification.workspace
    found = digest.build(workspace)
    emails.send(
        to=notification.recipient.email,
        user_id=notification.recipient_id,
        kind=notification.kind,
        subject=f"{found.title}: {found.period}",
        template="notifications/email/digest",
        context={
            "digest": found,
            "workspace_name": workspace.name,
            "link": emails.absolute(reverse("digest:preview", args=[workspace.slug])),
            "preferences_url": emails.absolute(reverse("notifications:preferences")),
        },
    )

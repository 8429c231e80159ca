"""Telling people: who hears of an event, in the app and by e-mail, once.

``notify`` is the one way in. It keeps only current members of the workspace
(never someone outside it or who left), never the person who acted, and each
person's preference for the kind; the same event (``key``) reaches a person
once however often it is announced. E-mails go out from the worker.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from notifications.kinds import DEFAULT_DELIVERY, EMAIL_ONLY, Delivery, Kind, wants
from notifications.models import Notification, Preference
from notifications.tasks import send_notification_email
from pacekeeper.tasks import enqueue
from workspaces.models import Membership, Workspace
from workspaces.roles import Role

if TYPE_CHECKING:
    from accounts.models import User
    from workspaces.models import Invitation, Job


def deliveries(user: User) -> dict[str, str]:
    """The person's choice for every kind, defaults filled in."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULT_DELIVERY[kind]) for kind in Kind}


def set_delivery(user: User, kind: str, delivery: str) -> None:
    if kind in EMAIL_ONLY and delivery in (Delivery.BOTH, Delivery.IN_APP):
        delivery = Delivery.EMAIL
    Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})


def stop_emails(user: User, kind: str) -> str:
    """Keep the person's in-app choice for ``kind``, drop its e-mails; the new choice."""
    current = deliveries(user)[kind]
    delivery = Delivery.IN_APP if current in (Delivery.BOTH, Delivery.IN_APP) else Delivery.NONE
    if kind in EMAIL_ONLY:
        delivery = Delivery.NONE
    Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})
    return delivery


def members(workspace: Workspace, roles: Iterable[str] | None = None) -> QuerySet:
    """The workspace's people, of ``roles`` if given."""
    found = Membership.objects.filter(workspace=workspace)
    if roles is not None:
        found = found.filter(role__in=list(roles))
    return found.values_list("user_id", flat=True)


# Set while the demo is seeded: notifications are made for the app only.
_IN_APP_ONLY: ContextVar[bool] = ContextVar("notifications_in_app_only", default=False)


@contextmanager
def in_app_only():
    """Within it, ``notify`` sends no e-mail and queues none: the inbox only."""
    token = _IN_APP_ONLY.set(True)
    try:
        yield
    finally:
        _IN_APP_ONLY.reset(token)


def notify(
    workspace: Workspace,
    kind: str,
    recipients: Iterable[int],
    *,
    title: str,
    key: str,
    body: str = "",
    url: str = "",
    actor: User | None = None,
) -> list[Notification]:
    """Tell ``recipients`` (user ids) of an event; returns the notifications made."""
    wanted = set(recipients) - {actor.pk if actor else None}
    current = set(
        Membership.objects.filter(workspace=workspace, user__in=wanted).values_list(
            "user_id", flat=True
        )
    )
    already = set(
        Notification.objects.filter(
            workspace=workspace, key=key, recipient__in=current
        ).values_list("recipient_id", flat=True)
    )
    chosen = dict(
        Preference.objects.filter(user__in=current, kind=kind).values_list("user_id", "delivery")
    )
    rows = []
    for user_id in sorted(current - already):
        in_app, email = wants(chosen.get(user_id, DEFAULT_DELIVERY[kind]))
        email = email and not _IN_APP_ONLY.get()
        if in_app or email:
            rows.append(
                Notification(
                    workspace=workspace, recipient_id=user_id, kind=kind, title=title[:200],
                    body=body[:2000], url=url[:300], actor=actor, in_app=in_app, email=email,
                    key=key[:200],
                )
            )  # fmt: skip
    made = Notification.objects.bulk_create(rows)
    for notification in made:
        if notification.email:
            enqueue(send_notification_email, notification.pk)
    return made


def inbox(workspace: Workspace, user: User) -> QuerySet:
    return Notification.objects.in_workspace(workspace).filter(recipient=user, in_app=True)


def mark_read(workspace: Workspace, user: User, pk: int | None = None) -> int:
    """Mark one notification (or all of them) read; how many changed."""
    unread = inbox(workspace, user).filter(read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())


# Events of the apps below, heard through their registries.


def job_finished(*, job: Job) -> None:
    if job.started_by_id is None:
        return
    done = job.status == job.Status.DONE
    notify(
        job.workspace,
        Kind.JOB_FINISHED,
        [job.started_by_id],
        title=f"{job.title}: {'done' if done else 'failed'}",
        body=job.message,
        url=job.get_absolute_url(),
        key=f"job:{job.pk}:{job.status}",
    )


def member_joined(*, membership: Membership, invitation: Invitation) -> None:
    user = membership.user
    workspace = membership.workspace
    notify(
        workspace,
        Kind.MEMBER_JOINED,
        members(workspace, [Role.OWNER]),
        title=f"{user.display_name} joined {workspace.name} as {membership.get_role_display().lower()}",
        body=f"They accepted the invitation sent to {invitation.email}.",
        url=reverse("team:members", args=[workspace.slug]),
        actor=user,
        key=f"joined:{membership.pk}",
    )

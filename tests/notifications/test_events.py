"""Each event reaches exactly the right people, once: never outsiders, people
who left, the person who acted, or those who turned it off."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from notifications.models import Notification, Preference
from notifications.services import notify
from tests.factories import (
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    MembershipFactory,
    PersonaFactory,
    PlanFactory,
    UserFactory,
)
from tests.tasks import run_queued_tasks
from workspaces.models import Membership


@pytest.fixture
def plan(workspace, marketer):
    olivia = PersonaFactory(workspace=workspace, name="Olivia", priority=3)
    ChannelUsageFactory(
        persona=olivia, channel=ChannelFactory(workspace=workspace, name="LinkedIn"), share=3
    )
    ExperimentFactory(workspace=workspace, title="Pilot", status="running", personas=[olivia])
    return PlanFactory(
        workspace=workspace,
        name="Q1 plan",
        personas=[olivia],
        total_effort=Decimal(1000),
        created_by=marketer,
    )


@pytest.fixture
def second_owner(workspace):
    return MembershipFactory(
        workspace=workspace, role="owner", user=UserFactory(email="dan@example.com", name="Dan")
    ).user


def step(client, plan, action, **data):
    plan.refresh_from_db()
    url = reverse(f"planning:plan_{action}", args=[plan.workspace.slug, plan.pk])
    response = client.post(url, {"version": plan.version, **data})
    assert response.status_code == 303, response.content.decode()[:400]
    return response


def told(kind: str) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_a_submitted_plan_reaches_reviewers_and_owners_once_in_app_and_by_email(
    marketer_client, plan, owner, reviewer, outsider, other_workspace
):
    MembershipFactory(workspace=other_workspace, role="reviewer")  # another workspace's reviewer
    step(marketer_client, plan, "submit", comment="Ready for Monday")
    assert told("plan_submitted") == ["alice@example.com", "carol@example.com"]
    notification = Notification.objects.get(recipient=reviewer)
    assert notification.title == "Bob Marketer submitted Q1 plan for review"
    assert notification.body == "Ready for Monday"
    assert notification.url == plan.get_absolute_url()

    assert mail.outbox == []  # e-mails go out from the worker
    assert run_queued_tasks() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "carol@example.com"]
    message = next(m for m in mail.outbox if m.to == ["carol@example.com"])
    assert message.subject == "Bob Marketer submitted Q1 plan for review · Northwind"
    assert "Ready for Monday" in message.body
    assert f"http://127.0.0.1:8000{plan.get_absolute_url()}" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Ready for Monday" in html and "<img" not in html
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://127.0.0.1:8000/notifications/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe[1:-1] in message.body and unsubscribe[1:-1] in html

    assert run_queued_tasks() == 0  # each e-mail once
    from notifications.tasks import send_notification_email

    send_notification_email.enqueue(notification.pk)  # the same e-mail queued again
    run_queued_tasks()
    assert len(mail.outbox) == 2


def test_preferences_decide_in_app_and_email(marketer_client, plan, owner, reviewer, second_owner):
    Preference.objects.create(user=reviewer, kind="plan_submitted", delivery="none")
    Preference.objects.create(user=owner, kind="plan_submitted", delivery="in_app")
    Preference.objects.create(user=second_owner, kind="plan_submitted", delivery="email")
    step(marketer_client, plan, "submit")
    run_queued_tasks()
    assert told("plan_submitted") == ["alice@example.com", "dan@example.com"]
    assert [m.to for m in mail.outbox] == [["dan@example.com"]]
    inbox = reverse("inbox:list", args=[plan.workspace.slug])
    dan = Client()
    dan.force_login(second_owner)
    assert "Q1 plan" not in dan.get(inbox).content.decode()  # e-mail only
    alice = Client()
    alice.force_login(owner)
    assert "submitted Q1 plan for review" in alice.get(inbox).content.decode()


def test_someone_who_left_before_the_email_gets_none(marketer_client, plan, owner, reviewer):
    step(marketer_client, plan, "submit")
    Membership.objects.filter(user=reviewer).delete()
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


def test_turning_emails_off_after_the_event_stops_the_email(marketer_client, plan, owner, reviewer):
    step(marketer_client, plan, "submit")
    Preference.objects.create(user=reviewer, kind="plan_submitted", delivery="in_app")
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


def test_approval_reaches_the_author_and_the_marketers_who_edited_it(
    marketer_client, reviewer_client, plan, marketer, workspace, owner
):
    editor = MembershipFactory(
        workspace=workspace, role="marketer", user=UserFactory(email="eve@example.com")
    ).user
    bystander = MembershipFactory(workspace=workspace, role="marketer").user
    edit = Client()
    edit.force_login(editor)
    plan.refresh_from_db()
    data = {
        "name": "Q1 plan",
        "start": "2027-01-01",
        "end": "2027-03-31",
        "total_effort": "1200",
        "personas": [plan.members.get().persona_id],
        "version": plan.version,
    }
    url = reverse("planning:plan_edit", args=[workspace.slug, plan.pk])
    assert edit.post(url, data).status_code == 303
    step(marketer_client, plan, "submit")
    step(reviewer_client, plan, "approve", comment="Good split")
    assert told("plan_reviewed") == ["bob@example.com", "eve@example.com"]
    note = Notification.objects.get(kind="plan_reviewed", recipient=marketer)
    assert note.title == "Carol Reviewer approved Q1 plan" and note.body == "Good split"
    assert not Notification.objects.filter(recipient=bystander).exists()


def test_a_returned_plan_carries_the_comment(marketer_client, reviewer_client, plan, marketer):
    step(marketer_client, plan, "submit")
    step(reviewer_client, plan, "return", comment="Move 10 points to events")
    note = Notification.objects.get(kind="plan_reviewed")
    assert note.recipient == marketer
    assert note.title == "Carol Reviewer returned Q1 plan"
    assert note.body == "Move 10 points to events"
    run_queued_tasks()
    assert "Move 10 points to events" in mail.outbox[-1].body


def test_an_accepted_invitation_reaches_the_owners(
    owner_client, workspace, owner, second_owner, reviewer
):
    response = owner_client.post(
        reverse("team:invite", args=[workspace.slug]),
        {"email": "rae@example.com", "role": "reviewer"},
    )
    link = re.search(r'id="invite-link" value="([^"]+)"', response.content.decode()).group(1)
    guest = Client()
    guest.post(
        "/" + link.split("/", 3)[3],
        {"name": "Rae", "password1": "a long pass phrase 42", "password2": "a long pass phrase 42"},
    )
    assert told("member_joined") == ["alice@example.com", "dan@example.com"]
    assert Notification.objects.filter(kind="member_joined").first().title == (
        "Rae joined Northwind as reviewer"
    )


def test_the_same_event_told_twice_reaches_each_person_once(workspace, owner, marketer, outsider):
    for _ in range(2):
        notify(
            workspace,
            "signal",
            [owner.pk, marketer.pk, outsider.pk],
            title="Drift",
            key="signal:drift:plan:1",
        )
    assert told("signal") == ["alice@example.com", "bob@example.com"]  # never the outsider


def test_an_email_that_keeps_failing_is_retried_then_shown_to_owners(
    workspace, owner, reviewer, owner_client, monkeypatch
):
    from notifications import emails
    from tests.tasks import let_pauses_pass
    from workspaces.models import Job

    def refuse(**kwargs):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr(emails, "send", refuse)
    notify(workspace, "signal", [reviewer.pk], title="Drift in Q1", key="signal:x")
    for _ in range(5):
        assert run_queued_tasks() == 1
        let_pauses_pass()
    assert run_queued_tasks() == 0  # five attempts, then it stops
    assert Notification.objects.get().emailed_at is None
    job = Job.objects.get()
    assert (job.status, job.attempts) == ("failed", 5)
    assert job.title == "E-mail to carol@example.com: Drift in Q1"
    page = owner_client.get(reverse("team:jobs", args=[workspace.slug])).content.decode()
    assert "the mail server is down" in page and "badge-job-failed" in page


def test_a_pressing_signal_reaches_marketers_and_owners_who_want_it_once(
    workspace, owner, marketer, reviewer, second_owner, outsider
):
    """Told in the app and by e-mail to the marketers and owners still in the
    workspace who did not turn it off; not to reviewers, outsiders, or people
    who left; and once however many ticks see it."""
    from notifications import schedules
    from tests.factories import ExperimentResultFactory

    leaving = MembershipFactory(
        workspace=workspace, role="marketer", user=UserFactory(email="eve@example.com")
    )
    Preference.objects.create(user=second_owner, kind="signal", delivery="in_app")
    Preference.objects.create(user=owner, kind="signal", delivery="none")
    olivia = PersonaFactory(workspace=workspace, name="Olivia")
    pilot = ExperimentFactory(
        workspace=workspace, title="Pilot", status="running", target=100, personas=[olivia]
    )
    ExperimentResultFactory(experiment=pilot, value=120)  # ready to graduate
    leaving.delete()

    assert schedules.announce_signals(workspace) == 1
    assert schedules.announce_signals(workspace) == 0
    assert run_queued_tasks() == 1
    assert told("signal") == ["bob@example.com", "dan@example.com"]
    assert Notification.objects.get(recipient=second_owner).email is False  # in the app only
    assert [m.to for m in mail.outbox] == [["bob@example.com"]]
    assert mail.outbox[0].subject.startswith("“Pilot” has reached its target")
    assert schedules.announce_signals(workspace) == 0
    assert run_queued_tasks() == 0 and Notification.objects.count() == 2

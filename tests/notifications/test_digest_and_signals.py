"""The weekly digest (its content for a fixed week, its day and hour in the
workspace's time zone), new pressing signals told once, and the periodic tick."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from experiments.models import Experiment
from notifications import schedules
from notifications.models import Notification, Preference
from personas.models import Persona
from tests.factories import (
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    ExperimentResultFactory,
    MembershipFactory,
    PersonaFactory,
    PlanFactory,
    UserFactory,
)
from tests.tasks import run_queued_tasks

PARIS = ZoneInfo("Europe/Paris")
# Monday 8 February 2027, 08:30 in Paris: the digest of 1–8 February.
MONDAY = dt.datetime(2027, 2, 8, 8, 30, tzinfo=PARIS)


@pytest.fixture
def week(workspace):
    """A week of work: an experiment that moved, a persona not reviewed for
    long, a plan waiting for review, and a plan covering the week."""
    workspace.time_zone = "Europe/Paris"
    workspace.save()
    with time_machine.travel(MONDAY - timedelta(days=300), tick=False):
        olivia = PersonaFactory(workspace=workspace, name="Operations Olivia")
    Persona.objects.filter(pk=olivia.pk).update(created_at=MONDAY - timedelta(days=300))
    with time_machine.travel(MONDAY - timedelta(days=20), tick=False):
        pilot = ExperimentFactory(workspace=workspace, title="Webinar pilot", status="idea")
        ExperimentFactory(workspace=workspace, title="Quiet idea", status="idea")
    with time_machine.travel(MONDAY - timedelta(days=3), tick=False):
        pilot.status = "running"
        pilot.save()
    linkedin = ChannelFactory(workspace=workspace, name="LinkedIn")
    ChannelUsageFactory(persona=olivia, channel=linkedin, share=3)
    PlanFactory(
        workspace=workspace, name="Q1 2027 plan", personas=[olivia], present_share=70,
        start=dt.date(2027, 1, 1), end=dt.date(2027, 3, 31), total_effort=Decimal(1000),
    )  # fmt: skip
    PlanFactory(
        workspace=workspace,
        name="Q2 2027 plan",
        status="in_review",
        start=dt.date(2027, 4, 1),
        end=dt.date(2027, 6, 30),
    )
    return workspace


def test_the_digest_of_a_fixed_week_in_both_parts(week, owner, marketer, reviewer, outsider):
    with time_machine.travel(MONDAY, tick=False):
        schedules.run()
        assert run_queued_tasks() == 3  # one e-mail per member
    assert sorted(m.to[0] for m in mail.outbox) == [
        "alice@example.com",
        "bob@example.com",
        "carol@example.com",
    ]
    message = mail.outbox[0]
    assert message.subject == "Your week in Northwind: 1 Feb – 8 Feb 2027"
    text = message.body
    for expected in [
        "Your week in Northwind\n1 Feb – 8 Feb 2027",
        "THE SPLIT\n- Q1 2027 plan: target: 70 / 30",
        "TOP SIGNALS\n",
        "EXPERIMENTS THAT CHANGED STATUS\n- Webinar pilot: Idea → Running\n  http://127.0.0.1:8000/w/northwind/experiments/",
        "PERSONAS DUE FOR REVIEW\n- Operations Olivia: last reviewed 14 Apr 2026",
        "PLANS WAITING FOR REVIEW\n- Q2 2027 plan: 1 Apr – 30 Jun 2027",
        "Stop the weekly digest: http://127.0.0.1:8000/notifications/unsubscribe/",
    ]:
        assert expected in text, expected
    assert "Quiet idea" not in text  # it did not move
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Webinar pilot</a>" in html and "Idea → Running" in html
    assert "Plans waiting for review" in html and "Q2 2027 plan</a>" in html
    assert "<img" not in html and "<script" not in html and "<link" not in html  # nothing remote
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/")
    assert not Notification.objects.filter(kind="digest", in_app=True).exists()  # e-mail only


AUCKLAND = ZoneInfo("Pacific/Auckland")  # 13 hours ahead of UTC in February


def test_the_digest_just_after_midnight_counts_days_as_the_workspace_does(
    workspace, owner, marketer
):
    """At 00:20 on Monday 8 February in Auckland it is still Sunday 7 February
    in UTC: the digest's dates, its week and the plan of the day are Auckland's."""
    workspace.time_zone = "Pacific/Auckland"
    workspace.digest_weekday = 0  # Monday
    workspace.digest_hour = 0
    workspace.save()
    with time_machine.travel(dt.datetime(2026, 2, 8, 11, 0, tzinfo=AUCKLAND), tick=False):
        PersonaFactory(workspace=workspace, name="Early Eve")  # 7 Feb 2026 in UTC
    with time_machine.travel(dt.datetime(2027, 1, 20, tzinfo=AUCKLAND), tick=False):
        early = ExperimentFactory(workspace=workspace, title="Early riser", status="idea")
        late = ExperimentFactory(workspace=workspace, title="Late Sunday", status="idea")
    with time_machine.travel(dt.datetime(2027, 1, 31, 23, 50, tzinfo=AUCKLAND), tick=False):
        late.status = "planned"  # the day before the week begins, in Auckland
        late.save()
    with time_machine.travel(dt.datetime(2027, 2, 1, 0, 10, tzinfo=AUCKLAND), tick=False):
        early.status = "planned"  # the week's first minutes, in Auckland
        early.save()
    PlanFactory(workspace=workspace, name="Summer plan", end=dt.date(2027, 2, 7))
    PlanFactory(
        workspace=workspace, name="Autumn plan", start=dt.date(2027, 2, 8), end=dt.date(2027, 4, 30)
    )
    with time_machine.travel(dt.datetime(2027, 2, 8, 0, 20, tzinfo=AUCKLAND), tick=False):
        schedules.run()
        run_queued_tasks()
    digests = [m for m in mail.outbox if m.subject.startswith("Your week")]
    assert sorted(m.to[0] for m in digests) == ["alice@example.com", "bob@example.com"]
    # Pressing signals are read on Auckland's day too: about the plan of 8 February.
    told = Notification.objects.filter(kind="signal").values_list("title", flat=True)
    assert told and all(title.startswith("Autumn plan") for title in told)
    message = digests[0]
    html = message.alternatives[0][0]
    assert message.subject == "Your week in Northwind: 1 Feb – 8 Feb 2027"
    for part in (message.body, html):
        assert "1 Feb – 8 Feb 2027" in part
        assert "Early riser" in part and "Late Sunday" not in part
        assert "Autumn plan" in part and "Summer plan" not in part
        assert "last reviewed 8 Feb 2026" in part
    assert "EXPERIMENTS THAT CHANGED STATUS\n- Early riser: Idea → Planned" in message.body


def test_the_digest_goes_out_on_the_workspace_day_and_hour_in_its_time_zone(
    workspace, owner, marketer, reviewer, outsider
):
    workspace.time_zone = "America/New_York"
    workspace.digest_weekday = 2  # Wednesday
    workspace.digest_hour = 17
    workspace.save()
    Preference.objects.create(user=marketer, kind="digest", delivery="none")
    new_york = ZoneInfo("America/New_York")
    schedules.run(dt.datetime(2027, 2, 10, 16, 59, tzinfo=new_york))  # a minute early
    assert not Notification.objects.exists()
    schedules.run(dt.datetime(2027, 2, 10, 17, 5, tzinfo=new_york))  # 22:05 UTC
    schedules.run(dt.datetime(2027, 2, 10, 17, 15, tzinfo=new_york))  # the next tick
    digests = Notification.objects.filter(kind="digest")
    assert sorted(digests.values_list("recipient__email", flat=True)) == [
        "alice@example.com",
        "carol@example.com",
    ]  # not Bob, who turned it off, nor the outsider; once each
    assert set(digests.values_list("key", flat=True)) == {"digest:2027-W06"}
    schedules.run(dt.datetime(2027, 2, 11, 17, 5, tzinfo=new_york))  # Thursday: nothing more
    schedules.run(dt.datetime(2027, 2, 17, 17, 5, tzinfo=new_york))  # a week later: the next
    assert digests.count() == 4


def test_a_new_pressing_signal_is_told_once_to_marketers_and_owners(
    workspace, owner, marketer, reviewer, outsider
):
    olivia = PersonaFactory(workspace=workspace, name="Olivia")
    pilot = ExperimentFactory(
        workspace=workspace, title="Webinar pilot", status="running", target=100, personas=[olivia]
    )
    ExperimentResultFactory(experiment=pilot, value=120)
    ChannelUsageFactory(
        persona=olivia, channel=ChannelFactory(workspace=workspace, name="Blog"), trend="rising"
    )
    assert (
        schedules.announce_signals(workspace) == 1
    )  # ready to graduate; "rising" waits for the digest
    told = Notification.objects.filter(kind="signal")
    assert sorted(told.values_list("recipient__email", flat=True)) == [
        "alice@example.com",
        "bob@example.com",
    ]
    assert told.first().title.startswith("“Webinar pilot” has reached its target")
    assert told.first().url == pilot.get_absolute_url()

    late = MembershipFactory(workspace=workspace, role="marketer", user=UserFactory()).user
    assert schedules.announce_signals(workspace) == 0  # told once, however long it lasts
    assert told.count() == 2 and not told.filter(recipient=late).exists()


def test_the_periodic_tick_runs_as_one_chain(workspace, owner):
    assert schedules.start() is True
    assert schedules.start() is False  # already on its way
    assert run_queued_tasks() == 1
    waiting = DBTaskResult.objects.filter(status="READY")
    assert waiting.count() == 1  # the next tick, ten minutes on
    gap = waiting.get().run_after - timezone.now()
    assert timedelta(minutes=9) < gap <= timedelta(minutes=10)
    schedules.tick.enqueue()  # a duplicate
    assert run_queued_tasks() == 1
    assert waiting.count() == 1  # merged back into one chain


def _real(queries) -> list[str]:
    return [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


def test_the_digest_preview_page_shows_both_parts_in_fixed_queries(week, reviewer):
    url = reverse("digest:preview", args=[week.slug])
    with time_machine.travel(MONDAY, tick=False):
        reviewer_client = Client()
        reviewer_client.force_login(reviewer)
        with CaptureQueriesContext(connection) as small:
            page = reviewer_client.get(url).content.decode()
    # Thirty times more of everything the digest reads: personas due for
    # review with rising channels, experiments that moved this week, plans
    # waiting for review.
    with time_machine.travel(MONDAY - timedelta(days=200), tick=False):
        for n in range(30):
            persona = PersonaFactory(workspace=week, name=f"Persona {n}")
            ChannelUsageFactory(
                persona=persona, channel=ChannelFactory(workspace=week), trend="rising"
            )
            ExperimentFactory(
                workspace=week, title=f"Test {n}", status="planned", personas=[persona]
            )
            PlanFactory(
                workspace=week, name=f"Plan {n}", status="in_review", personas=[persona],
                start=dt.date(2027, 7, 1), end=dt.date(2027, 9, 30),
            )  # fmt: skip
    with time_machine.travel(MONDAY - timedelta(days=2), tick=False):
        for experiment in Experiment.objects.filter(title__startswith="Test "):
            experiment.status = "running"
            experiment.save()
    with time_machine.travel(MONDAY, tick=False), CaptureQueriesContext(connection) as large:
        larger = reviewer_client.get(url).content.decode()
    print(
        f"digest preview queries: {len(_real(small))}, then {len(_real(large))} with 30 times more"
    )
    assert len(_real(small)) == len(_real(large)) <= 12
    assert "This week's digest" in page and "Monday 08:00 Europe/Paris" in page
    assert "Webinar pilot" in page and "Idea → Running" in page
    assert "EXPERIMENTS THAT CHANGED STATUS" in page  # the plain-text part
    assert "Test 0" in larger and "Planned → Running" in larger and "Plan 29" in larger
    # 31 experiments moved, 31 personas are due and 31 plans wait: 8 of each
    # shown, in both parts.
    assert larger.count("… and 23 more") == 6 and "Plan 0" not in larger

from __future__ import annotations

import json
from io import StringIO

from django.apps import apps
from django.core import serializers
from django.core.management import call_command

from accounts.models import User
from workspaces.models import Membership, Workspace


def _snapshot() -> list[dict]:
    """Every row of every Pacekeeper table, minus timestamps of history rows."""
    rows = []
    for label in ["accounts", "workspaces", "personas", "channels", "experiments", "planning"]:
        for model in apps.get_app_config(label).get_models():
            data = json.loads(serializers.serialize("json", model.objects.order_by("pk")))
            rows.extend(data)
    return rows


def test_seed_demo_creates_the_workspace_and_three_roles(db):
    out = StringIO()
    call_command("seed_demo", "--password", "demo-password-1", stdout=out)
    workspace = Workspace.objects.get(slug="northwind")
    roles = dict(Membership.objects.filter(workspace=workspace).values_list("user__email", "role"))
    assert roles == {
        "owen@example.com": "owner",
        "maya@example.com": "marketer",
        "ravi@example.com": "reviewer",
    }
    assert User.objects.get(email="maya@example.com").check_password("demo-password-1")
    printed = out.getvalue()
    assert "maya@example.com" in printed and "demo-password-1" in printed


def test_seed_demo_twice_gives_the_same_data(db):
    call_command("seed_demo", "--password", "demo-password-1", stdout=StringIO())
    first = _snapshot()
    call_command("seed_demo", "--password", "demo-password-1", stdout=StringIO())
    assert _snapshot() == first


def test_seed_demo_without_password_generates_one_and_keeps_it(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    line = next(x for x in out.getvalue().splitlines() if "ravi@example.com" in x)
    password = line.rsplit("password: ", 1)[1].strip()
    assert User.objects.get(email="ravi@example.com").check_password(password)
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "unchanged" in out.getvalue()
    assert User.objects.get(email="ravi@example.com").check_password(password)


def test_the_demo_persona_has_a_section_edit_a_mix_change_and_a_graduation(db, client):
    call_command("seed_demo", "--password", "demo-password-1", stdout=StringIO())
    from django.urls import reverse

    from personas.models import Persona

    olivia = Persona.objects.get(name="Operations Olivia")
    client.force_login(User.objects.get(email="maya@example.com"))
    html = client.get(reverse("personas:history", args=["northwind", olivia.pk])).content.decode()
    assert "Owen" in html and "changed goals, challenges" in html
    assert "changed share, trend of the channel usage" in html  # YouTube, seen rising
    assert "Graduated from the experiment" in html
    assert html.count("Undo this change") >= 2


def test_seeding_the_demo_e_mails_nobody_and_queues_nothing(db):
    """What the seeding notifies stays in the inboxes; the signals its data
    raises are told there too, so the worker's first tick finds nothing new."""
    from django.core import mail
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from notifications import schedules
    from notifications.models import Notification
    from tests.tasks import run_queued_tasks

    call_command("seed_demo", "--password", "demo-password-1", stdout=StringIO())
    call_command("seed_demo", "--password", "demo-password-1", stdout=StringIO())
    assert mail.outbox == [] and not DBTaskResult.objects.exists()
    told = Notification.objects.filter(workspace__slug="northwind")
    assert not told.filter(email=True).exists()
    ravi = told.filter(recipient__email="ravi@example.com", in_app=True)
    # The four past quarters' plans and this quarter's, each submitted to him once.
    assert list(ravi.values_list("kind", flat=True)) == ["plan_submitted"] * 5
    signals = told.filter(kind="signal", recipient__email="maya@example.com")
    assert signals.count() >= 3

    workspace = Workspace.objects.get(slug="northwind")
    workspace.digest_weekday = (timezone.localdate().weekday() + 3) % 7  # no digest due
    workspace.save()
    before = told.count()
    assert schedules.start() is True
    assert run_queued_tasks() == 1  # the first tick, which tells nobody anything new
    assert mail.outbox == [] and told.count() == before
    assert DBTaskResult.objects.filter(status="FAILED").count() == 0


def test_each_of_the_demo_plans_drifting_personas_is_its_own_signal(db):
    from planning.digest import pressing_signals

    call_command("seed_demo", "--password", "demo-password-1", stdout=StringIO())
    found = pressing_signals(Workspace.objects.get(slug="northwind"))
    keys = [signal.key for signal in found]
    assert len(keys) == len(set(keys))
    # The demo's team spends as planned but on Founder Farah, whose key names her.
    from personas.models import Persona

    farah = Persona.objects.get(name="Founder Farah")
    drifts = [key for key in keys if key.startswith("drift:persona:")]
    assert len(drifts) == 1 and drifts[0].endswith(f":{farah.pk}")

"""How long history is kept: a workspace setting, and the command that prunes."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from personas import services
from personas.models import Persona
from tests.factories import PersonaFactory
from workspaces.models import Activity


def _edit(persona, user, goals, days_ago):
    persona.goals = goals
    services.persona_update(
        persona=persona, expected_version=persona.version, user=user, fields=["goals"]
    )
    when = timezone.now() - timedelta(days=days_ago)
    latest = Persona.history.filter(id=persona.pk).latest("history_id")
    Persona.history.filter(history_id=latest.history_id).update(history_date=when)
    Activity.objects.filter(history_id=latest.history_id, kind="persona").update(at=when)


def test_history_is_kept_for_ever_by_default(workspace, marketer):
    persona = PersonaFactory(workspace=workspace)
    _edit(persona, marketer, "Old", days_ago=4000)
    out = StringIO()
    call_command("prune_history", "northwind", stdout=out)
    assert "northwind: 0 history rows pruned (kept for ever)." in out.getvalue()
    assert Persona.history.filter(id=persona.pk).count() == 2


def test_pruning_keeps_the_recent_history_and_each_latest_version(workspace, marketer):
    workspace.history_days = 30
    workspace.save()
    persona = PersonaFactory(workspace=workspace)
    Persona.history.filter(id=persona.pk).update(history_date=timezone.now() - timedelta(days=90))
    Activity.objects.update(at=timezone.now() - timedelta(days=90))
    _edit(persona, marketer, "Old", days_ago=60)
    _edit(persona, marketer, "New", days_ago=2)
    quiet = PersonaFactory(workspace=workspace, name="Untouched for long")
    long_ago = timezone.now() - timedelta(days=400)
    Persona.history.filter(id=quiet.pk).update(history_date=long_ago)
    Activity.objects.filter(object_id=quiet.pk, kind="persona").update(at=long_ago)
    out = StringIO()
    call_command("prune_history", stdout=out)
    assert "northwind: 2 history rows pruned (kept 30 days)." in out.getvalue()
    assert list(Persona.history.filter(id=persona.pk).values_list("goals", flat=True)) == ["New"]
    assert Persona.history.filter(id=quiet.pk).count() == 1  # its only version stays
    assert list(Activity.objects.values_list("action", "changes")) == [
        ("changed", [["Goals", "Old", "New"]])
    ]


def test_the_setting_is_on_the_settings_page_with_its_limits(owner_client, workspace):
    url = reverse("team:settings", args=[workspace.slug])
    assert "Keep history for (days)" in owner_client.get(url).content.decode()
    data = {
        "name": "Northwind", "slug": "northwind", "default_present_share": "80",
        "effort_unit": "hours", "stale_after_days": "180", "drift_tolerance": "5",
        "suggest_innovator": "60",
        "suggest_early_adopter": "70", "suggest_early_majority": "80",
        "suggest_late_majority": "85", "suggest_laggard": "90",
    }  # fmt: skip
    response = owner_client.post(url, {**data, "history_days": "5"})
    assert response.status_code == 422
    assert "greater than or equal to 30" in response.content.decode()
    assert owner_client.post(url, {**data, "history_days": "365"}).status_code == 303
    workspace.refresh_from_db()
    assert workspace.history_days == 365

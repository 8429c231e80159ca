"""A new plan starts filled in: next quarter, the latest plan's effort, every
active persona, the workspace's ratio shown."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from planning.selectors import next_quarter
from tests.factories import PersonaFactory, PlanFactory


def test_next_quarter():
    assert next_quarter(date(2026, 12, 2)) == (date(2027, 1, 1), date(2027, 3, 31))
    assert next_quarter(date(2026, 3, 31)) == (date(2026, 4, 1), date(2026, 6, 30))
    assert next_quarter(date(2026, 8, 15)) == (date(2026, 10, 1), date(2026, 12, 31))


def test_the_new_plan_form_is_filled_in(marketer_client, workspace, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 12, 2))
    olivia = PersonaFactory(workspace=workspace, name="Olivia")
    PersonaFactory(workspace=workspace, name="Archived Arlo", archived=True)
    PlanFactory(workspace=workspace, personas=[olivia], total_effort=640)
    form = marketer_client.get(reverse("planning:plan_create", args=[workspace.slug])).context[
        "form"
    ]
    assert form["name"].value() == "Q1 2027"
    assert (form["start"].value(), form["end"].value()) == (date(2027, 1, 1), date(2027, 3, 31))
    assert form["total_effort"].value() == 640
    assert list(form["personas"].value()) == [olivia.pk]
    assert form.fields["present_share"].widget.attrs["placeholder"] == str(
        workspace.default_present_share
    )

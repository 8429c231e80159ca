"""The admin, for staff: workspace data opens read-only where the app sets it,
and is never added there."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import (
    ChannelUsageFactory,
    ExperimentFactory,
    PersonaFactory,
    PlanFactory,
    UserFactory,
)


@pytest.fixture
def staff(db):
    user = UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


def change_page(staff, obj) -> str:
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    response = staff.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_what_the_app_sets_shows_but_cannot_be_edited(staff, workspace):
    persona = PersonaFactory(workspace=workspace, name="Operations Olivia")
    html = change_page(staff, persona)
    assert 'name="name"' in html  # what people type stays editable
    for automatic in ["workspace", "version", "created_by", "updated_by", "reviewed_at"]:
        assert f'name="{automatic}"' not in html, automatic
        assert f"field-{automatic}" in html, automatic  # shown, read-only
    usage = ChannelUsageFactory(persona=persona)
    html = change_page(staff, usage)
    assert 'name="share"' in html and 'name="persona"' not in html and 'name="channel"' not in html
    for obj in [ExperimentFactory(workspace=workspace), PlanFactory(workspace=workspace)]:
        assert 'name="workspace"' not in change_page(staff, obj)


@pytest.mark.parametrize(
    "model",
    ["personas_persona", "channels_channelusage", "experiments_experiment", "planning_plan"],
)
def test_workspace_data_is_never_added_in_the_admin(staff, model):
    assert staff.get(reverse(f"admin:{model}_add")).status_code == 403

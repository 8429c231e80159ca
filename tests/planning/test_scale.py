"""The large workspace the page benchmark and the bounded-page tests build."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from channels.models import ChannelUsage
from experiments.models import Experiment
from personas.models import Persona
from planning.models import Actual, PlanLine, PlanStatus
from planning.scale import build_scale_workspace

pytestmark = pytest.mark.django_db


def test_the_scale_workspace_holds_what_its_size_promises():
    built = build_scale_workspace(6, slug="scale-six")
    workspace = built.workspace
    assert Persona.objects.filter(workspace=workspace).count() == 6
    assert ChannelUsage.objects.filter(workspace=workspace).count() == 60
    assert Experiment.objects.filter(workspace=workspace).count() == 10
    assert built.approved.status == PlanStatus.APPROVED
    assert built.draft.status == PlanStatus.DRAFT
    assert built.approved.members.count() == built.draft.members.count() == 6
    # The approved plan's lines are frozen, and every actual is on one of them.
    lines = PlanLine.objects.filter(plan=built.approved)
    assert lines.exists()
    actuals = Actual.objects.filter(plan=built.approved)
    assert actuals.count() == 40
    channel_ids = set(lines.values_list("channel_id", flat=True))
    experiment_ids = set(lines.values_list("experiment_id", flat=True))
    for actual in actuals:
        assert actual.channel_id in channel_ids or actual.experiment_id in experiment_ids


def test_the_command_replaces_an_earlier_build_and_sets_the_owners_password(capsys):
    call_command("seed_scale", personas=3, slug="scale-three")
    call_command("seed_scale", personas=4, slug="scale-three", password="a long pass phrase")
    assert Persona.objects.filter(workspace__slug="scale-three").count() == 4
    built_owner = Persona.objects.filter(workspace__slug="scale-three").first().workspace
    owner = built_owner.memberships.get().user
    assert owner.check_password("a long pass phrase")
    assert "/w/scale-three/: 4 personas" in capsys.readouterr().out

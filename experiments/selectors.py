"""Experiments as other pages show them: a persona's, a channel's."""

from __future__ import annotations

from channels.models import Channel
from experiments.models import Experiment
from personas.models import Persona
from workspaces.models import Workspace


def _listed(queryset) -> list[Experiment]:
    return list(
        queryset.filter(archived=False)
        .with_latest_result()
        .select_related("channel")
        .order_by("status", "-updated_at")
    )


def persona_experiments(persona: Persona, workspace: Workspace) -> list[Experiment]:
    """The experiments that target a persona. One query."""
    return _listed(Experiment.objects.in_workspace(workspace).filter(targets__persona=persona))


def channel_experiments(channel: Channel, workspace: Workspace) -> list[Experiment]:
    """The experiments on a channel. One query."""
    return _listed(Experiment.objects.in_workspace(workspace).filter(channel=channel))

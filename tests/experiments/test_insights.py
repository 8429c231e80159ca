"""The signals: target met, rising without experiment, emerging past 16%."""

from __future__ import annotations

from decimal import Decimal

import pytest

from experiments.insights import (
    emerging_over_threshold,
    experiments_meeting_target,
    rising_without_experiment,
)
from experiments.models import meets_target, progress_to_target
from tests.factories import (
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    ExperimentResultFactory,
    PersonaFactory,
)


@pytest.mark.parametrize(
    ("value", "target", "higher", "met"),
    [
        (None, Decimal(100), True, False),
        (Decimal(99), Decimal(100), True, False),
        (Decimal(100), Decimal(100), True, True),
        (Decimal(140), Decimal(100), True, True),
        (Decimal(121), Decimal(120), False, False),
        (Decimal(120), Decimal(120), False, True),
        (Decimal(90), Decimal(120), False, True),
    ],
)
def test_meets_target_in_both_directions(value, target, higher, met):
    assert meets_target(value, target, higher) is met


def test_progress_to_target_is_clipped_and_works_downwards():
    assert progress_to_target(None, Decimal(0), Decimal(100)) is None
    assert progress_to_target(Decimal(50), Decimal(0), Decimal(100)) == 50
    assert progress_to_target(Decimal(150), Decimal(0), Decimal(100)) == 100
    assert progress_to_target(Decimal(-5), Decimal(0), Decimal(100)) == 0
    # Cost per lead from 180 down to 120: at 150 we are half way.
    assert progress_to_target(Decimal(150), Decimal(180), Decimal(120)) == 50


def test_experiments_meeting_target_uses_the_latest_result(workspace):
    none = ExperimentFactory(workspace=workspace, status="running", title="No results")
    one = ExperimentFactory(workspace=workspace, status="running", title="One result", target=100)
    ExperimentResultFactory(experiment=one, value=100)
    several = ExperimentFactory(
        workspace=workspace, status="running", title="Fell back", target=100
    )
    ExperimentResultFactory(experiment=several, value=120, date="2026-01-01")
    ExperimentResultFactory(experiment=several, value=80, date="2026-02-01")  # latest misses
    lower = ExperimentFactory(
        workspace=workspace,
        status="running",
        title="Cost",
        baseline=180,
        target=120,
        higher_is_better=False,
    )
    ExperimentResultFactory(experiment=lower, value=150, date="2026-01-01")
    ExperimentResultFactory(experiment=lower, value=118, date="2026-02-01")
    idea = ExperimentFactory(workspace=workspace, status="idea", title="Not running")
    ExperimentResultFactory(experiment=idea, value=500)
    ready = experiments_meeting_target(workspace)
    assert [e.title for e in ready] == ["Cost", "One result"]
    assert none not in ready


def test_rising_channel_without_experiment(workspace):
    farah = PersonaFactory(workspace=workspace, name="Farah")
    tiktok = ChannelFactory(workspace=workspace, name="TikTok")
    x = ChannelFactory(workspace=workspace, name="X")
    ChannelUsageFactory(persona=farah, channel=tiktok, trend="rising", stage="emerging")
    ChannelUsageFactory(persona=farah, channel=x, trend="rising", stage="emerging")
    ExperimentFactory(
        workspace=workspace, channel=x, kind="channel", status="running", personas=[farah]
    )
    ExperimentFactory(
        workspace=workspace,
        channel=tiktok,
        kind="channel",
        status="concluded",
        outcome="drop",
        personas=[farah],
    )
    signals = rising_without_experiment(workspace)
    assert [(s.usage.persona.name, s.usage.channel.name) for s in signals] == [("Farah", "TikTok")]


def test_emerging_channel_at_16_percent_or_more(workspace):
    farah = PersonaFactory(workspace=workspace, name="Farah")
    ChannelUsageFactory(
        persona=farah, channel=ChannelFactory(workspace=workspace, name="Podcasts"), share=84
    )
    ChannelUsageFactory(
        persona=farah,
        channel=ChannelFactory(workspace=workspace, name="TikTok"),
        share=16,
        stage="emerging",
    )
    dan = PersonaFactory(workspace=workspace, name="Dan")
    ChannelUsageFactory(
        persona=dan, channel=ChannelFactory(workspace=workspace, name="Search"), share=85
    )
    ChannelUsageFactory(
        persona=dan,
        channel=ChannelFactory(workspace=workspace, name="Reddit"),
        share=15,
        stage="emerging",
    )
    archived = PersonaFactory(workspace=workspace, name="Gone", archived=True)
    ChannelUsageFactory(
        persona=archived,
        channel=ChannelFactory(workspace=workspace, name="Fax"),
        share=50,
        stage="emerging",
    )
    signals = emerging_over_threshold(workspace)
    assert [(s.usage.persona.name, s.usage.channel.name, s.percent) for s in signals] == [
        ("Farah", "TikTok", Decimal(16))
    ]


def test_signals_never_cross_workspaces(workspace, other_workspace):
    theirs = PersonaFactory(workspace=other_workspace)
    ChannelUsageFactory(persona=theirs, share=50, stage="emerging", trend="rising")
    assert rising_without_experiment(workspace) == [] and emerging_over_threshold(workspace) == []


def test_experiments_and_targets_read_as_the_two_reads_they_replace(
    workspace, other_workspace, django_assert_num_queries
):
    from django.db.models import Q

    from experiments.insights import experiments_and_targets
    from experiments.models import ExperimentTarget

    ann, ben, cat = (PersonaFactory(workspace=workspace, name=n) for n in ("Ann", "Ben", "Cat"))
    channel = ChannelFactory(workspace=workspace, name="TikTok")
    running = ExperimentFactory(
        workspace=workspace, title="Running", status="running", channel=channel, personas=[ann, ben]
    )
    ExperimentResultFactory(experiment=running, value=40, date="2026-01-01")
    ExperimentResultFactory(experiment=running, value=70, date="2026-02-01")
    ExperimentFactory(workspace=workspace, title="Idea", status="idea", personas=[ann])
    ExperimentFactory(
        workspace=workspace, title="Adopted", status="concluded", outcome="adopt", personas=[cat]
    )
    ExperimentFactory(
        workspace=workspace, title="Dropped", status="concluded", outcome="drop", personas=[cat]
    )
    ExperimentFactory(
        workspace=workspace, title="Shelved but planned", status="planned", archived=True,
        personas=[ben, cat],
    )  # fmt: skip
    ExperimentFactory(workspace=workspace, title="Archived idea", archived=True, personas=[ann])
    ExperimentFactory(workspace=workspace, title="No one", status="running")
    ExperimentFactory(
        workspace=other_workspace,
        title="Elsewhere",
        status="running",
        personas=[PersonaFactory(workspace=other_workspace)],
    )

    with django_assert_num_queries(1):
        experiments, targets = experiments_and_targets(workspace)

    assert [e.title for e in experiments] == ["Adopted", "Dropped", "Idea", "No one", "Running"]
    shown = next(e for e in experiments if e.title == "Running")
    assert (shown.latest_value, shown.channel_id, shown.channel.name) == (70, channel.pk, "TikTok")
    read = [(t.experiment.title, t.persona_id) for t in targets]
    assert read == [
        ("Adopted", cat.pk),
        ("Running", ann.pk),
        ("Running", ben.pk),
        ("Shelved but planned", ben.pk),
        ("Shelved but planned", cat.pk),
    ]
    # The same as reading the targets themselves: of experiments planned or
    # running (archived or not), concluded and adopted, or graduated.
    explored = (
        ExperimentTarget.objects.filter(workspace=workspace)
        .filter(
            Q(experiment__status__in=["planned", "running"])
            | Q(experiment__status="concluded", experiment__outcome="adopt")
            | Q(experiment__graduated_at__isnull=False)
        )
        .values_list("experiment__title", "persona_id")
    )
    assert sorted(read) == sorted(explored)


def test_experiment_facts_read_as_the_model_reads_its_experiments(workspace):
    """Each fact carries what the model has, and its target met, progress,
    weight and address come out as the model's own."""
    from experiments.insights import experiments_and_targets
    from experiments.models import Experiment

    channel = ChannelFactory(workspace=workspace, name="Podcasts")
    up = ExperimentFactory(
        workspace=workspace, title="Up", status="running", channel=channel, baseline=10,
        target=50, impact=9, confidence=4, ease=6, start_date="2026-01-05",
    )  # fmt: skip
    ExperimentResultFactory(experiment=up, value=20, date="2026-01-01")
    ExperimentResultFactory(experiment=up, value=55, date="2026-02-01")
    down = ExperimentFactory(
        workspace=workspace, title="Down", status="running", baseline=180, target=120,
        higher_is_better=False, weight=Decimal("2.50"),
    )  # fmt: skip
    ExperimentResultFactory(experiment=down, value=150, date="2026-03-01")
    ExperimentFactory(
        workspace=workspace, title="Done", status="concluded", outcome="adopt", channel=channel
    )
    ExperimentFactory(workspace=workspace, title="Fresh", status="idea")

    facts, _ = experiments_and_targets(workspace)
    models = {e.pk: e for e in Experiment.objects.in_workspace(workspace).with_latest_result()}
    fields = [
        "title", "channel_id", "status", "outcome", "start_date", "concluded_at",
        "graduated_at", "archived", "baseline", "target", "higher_is_better", "weight",
        "impact", "confidence", "ease", "latest_value", "target_met", "progress",
        "effective_weight",
    ]  # fmt: skip
    assert sorted(f.pk for f in facts) == sorted(models)
    for fact in facts:
        model = models[fact.pk]
        model.workspace = workspace
        assert [getattr(fact, name) for name in fields] == [getattr(model, name) for name in fields]
        assert fact.get_absolute_url() == model.get_absolute_url()
        assert (fact.channel.name if fact.channel else None) == (
            model.channel.name if model.channel else None
        )
    up_fact = next(f for f in facts if f.title == "Up")
    down_fact = next(f for f in facts if f.title == "Down")
    assert (up_fact.target_met, up_fact.progress, up_fact.effective_weight) == (
        True, Decimal(100), Decimal("6.3"),
    )  # fmt: skip
    assert (down_fact.target_met, down_fact.progress, down_fact.effective_weight) == (
        False, Decimal(50), Decimal("2.50"),
    )  # fmt: skip

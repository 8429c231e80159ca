"""Each signal fires on the data that should fire it, and not otherwise."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from channels.models import ChannelUsage
from personas.models import Persona
from planning.dashboard import build_dashboard
from tests.factories import (
    ActualFactory,
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    ExperimentResultFactory,
    PersonaFactory,
    PlanFactory,
)


def kinds(workspace) -> list[str]:
    return [s.kind for s in build_dashboard(workspace).signals]


def texts(workspace, kind) -> list[str]:
    return [s.text for s in build_dashboard(workspace).signals if s.kind == kind]


def test_rising_channel_without_experiment_fires(workspace):
    farah = PersonaFactory(workspace=workspace, name="Farah")
    ChannelUsageFactory(
        persona=farah,
        channel=ChannelFactory(workspace=workspace, name="TikTok"),
        trend="rising",
        stage="emerging",
        share=5,
    )
    ChannelUsageFactory(persona=farah, channel=ChannelFactory(workspace=workspace), share=95)
    assert texts(workspace, "rising") == [
        "TikTok is rising for Farah and no experiment explores it. Where are they going?"
    ]


def test_rising_channel_with_an_open_experiment_does_not(workspace):
    farah = PersonaFactory(workspace=workspace)
    tiktok = ChannelFactory(workspace=workspace)
    ChannelUsageFactory(persona=farah, channel=tiktok, trend="rising")
    ExperimentFactory(
        workspace=workspace, kind="channel", channel=tiktok, status="planned", personas=[farah]
    )
    assert "rising" not in kinds(workspace)


def test_emerging_channel_past_16_percent_fires(workspace):
    farah = PersonaFactory(workspace=workspace, name="Farah")
    ChannelUsageFactory(persona=farah, channel=ChannelFactory(workspace=workspace), share=80)
    ChannelUsageFactory(
        persona=farah,
        channel=ChannelFactory(workspace=workspace, name="TikTok"),
        share=20,
        stage="emerging",
    )
    assert texts(workspace, "emerging")[0].startswith("TikTok already holds 20% of Farah's mix")


def test_emerging_channel_under_16_percent_does_not(workspace):
    farah = PersonaFactory(workspace=workspace)
    ChannelUsageFactory(persona=farah, channel=ChannelFactory(workspace=workspace), share=85)
    ChannelUsageFactory(
        persona=farah, channel=ChannelFactory(workspace=workspace), share=15, stage="emerging"
    )
    assert "emerging" not in kinds(workspace)


def test_experiment_meeting_target_fires(workspace):
    experiment = ExperimentFactory(
        workspace=workspace,
        title="Landing page",
        status="running",
        baseline=180,
        target=120,
        higher_is_better=False,
    )
    ExperimentResultFactory(experiment=experiment, value=118)
    assert texts(workspace, "ready") == [
        "“Landing page” has reached its target (118 against 120): ready to graduate."
    ]


def test_experiment_short_of_target_does_not(workspace):
    experiment = ExperimentFactory(workspace=workspace, status="running", target=250)
    ExperimentResultFactory(experiment=experiment, value=249)
    assert "ready" not in kinds(workspace)


def _plan_on(workspace, trend: str, share_of_present: int):
    """One persona, two core channels: the first gets ``share_of_present`` % of the present part."""
    olivia = PersonaFactory(workspace=workspace, name="Olivia")
    shows = ChannelFactory(workspace=workspace, name="Trade shows")
    ChannelUsageFactory(persona=olivia, channel=shows, share=share_of_present, trend=trend)
    ChannelUsageFactory(
        persona=olivia, channel=ChannelFactory(workspace=workspace), share=100 - share_of_present
    )
    ExperimentFactory(workspace=workspace, status="running", personas=[olivia])
    today = timezone.localdate()
    return PlanFactory(
        workspace=workspace,
        personas=[olivia],
        start=today - timedelta(days=10),
        end=today + timedelta(days=80),
    )


def test_present_effort_on_a_declining_channel_fires_above_10_percent(workspace):
    plan = _plan_on(workspace, "declining", 20)
    assert texts(workspace, "declining") == [
        f"Trade shows is declining for Olivia yet takes 20% of their present effort in {plan.name}."
    ]


def test_declining_channel_with_little_effort_does_not(workspace):
    _plan_on(workspace, "declining", 10)
    assert "declining" not in kinds(workspace)


def test_steady_channel_with_much_effort_does_not(workspace):
    _plan_on(workspace, "steady", 60)
    assert "declining" not in kinds(workspace)


def test_unverified_channel_data_fires(workspace):
    dan = PersonaFactory(workspace=workspace, name="Dan")
    ChannelUsageFactory(persona=dan, last_verified=date.today() - timedelta(days=181))
    ChannelUsageFactory(persona=dan, last_verified=date.today() - timedelta(days=200))
    assert texts(workspace, "stale-usage") == ["Dan: 2 channels not verified for 180 days."]


def test_recently_verified_channel_data_does_not(workspace):
    ChannelUsageFactory(
        persona=PersonaFactory(workspace=workspace),
        last_verified=date.today() - timedelta(days=179),
    )
    assert "stale-usage" not in kinds(workspace)


def test_persona_not_reviewed_fires_and_a_reviewed_one_does_not(workspace):
    old = PersonaFactory(workspace=workspace, name="Paul")
    Persona.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=200))
    fresh = PersonaFactory(workspace=workspace, name="Ana")
    Persona.objects.filter(pk=fresh.pk).update(
        created_at=timezone.now() - timedelta(days=400),
        reviewed_at=timezone.now() - timedelta(days=3),
    )
    assert texts(workspace, "stale-persona") == ["Paul has not been reviewed for 180 days."]


def test_persona_facts_read_as_the_model_reads_its_personas(workspace):
    """The dashboard's active personas: name, stage, address, last review and
    staleness as each persona's own, archived ones left out."""
    from planning.dashboard import active_personas

    never = PersonaFactory(workspace=workspace, name="Never", adoption_stage="innovator")
    Persona.objects.filter(pk=never.pk).update(created_at=timezone.now() - timedelta(days=181))
    lately = PersonaFactory(workspace=workspace, name="Lately", adoption_stage="laggard")
    Persona.objects.filter(pk=lately.pk).update(
        created_at=timezone.now() - timedelta(days=900),
        reviewed_at=timezone.now() - timedelta(days=179),
    )
    PersonaFactory(workspace=workspace, name="New")
    PersonaFactory(workspace=workspace, name="Gone", archived=True)

    facts = active_personas(workspace)
    models = list(Persona.objects.filter(workspace=workspace, archived=False).order_by("name"))
    assert list(facts) == [p.pk for p in models]
    for persona in models:
        fact = facts[persona.pk]
        read = lambda p: (  # noqa: E731
            p.pk, p.name, p.adoption_stage, p.get_adoption_stage_display(),
            p.get_absolute_url(), p.last_reviewed, p.is_stale,
        )  # fmt: skip
        assert read(fact) == read(persona)
    assert [f.name for f in facts.values() if f.is_stale] == ["Never"]


def test_stale_threshold_follows_the_workspace(workspace):
    workspace.stale_after_days = 30
    workspace.save()
    ChannelUsageFactory(
        persona=PersonaFactory(workspace=workspace, name="Dan"),
        last_verified=date.today() - timedelta(days=31),
    )
    assert texts(workspace, "stale-usage") == ["Dan: 1 channel not verified for 30 days."]


def test_exploration_with_no_experiment_fires(workspace):
    paul = PersonaFactory(workspace=workspace, name="Paul")
    ChannelUsageFactory(persona=paul)
    PlanFactory(
        workspace=workspace,
        personas=[paul],
        total_effort=100,
        start=date.today(),
        end=date.today() + timedelta(days=30),
    )
    assert texts(workspace, "unassigned")[0].startswith("20.00 hours of Paul's exploration")


def test_exploration_with_an_experiment_does_not(workspace):
    _plan_on(workspace, "steady", 50)
    assert "unassigned" not in kinds(workspace)


def test_actual_split_drifting_more_than_5_points_fires(workspace):
    plan = _plan_on(workspace, "steady", 50)  # 80 / 20 target
    shows = ChannelUsage.objects.get(channel__name="Trade shows").channel
    ActualFactory(plan=plan, channel=shows, amount=Decimal("86"), date=plan.start)
    ActualFactory(
        plan=plan, experiment=_experiment(workspace), amount=Decimal("14"), date=plan.start
    )
    assert texts(workspace, "drift") == [
        f"{plan.name}: Actual 86 / 14 against the allocated 80 / 20: 6.0 points more on where "
        "they are, beyond the 5-point tolerance.",
        f"{plan.name}: Actual 86 / 14 against the plan's headline 80 / 20: 6.0 points more on "
        "where they are, beyond the 5-point tolerance.",
    ]


def test_actual_split_within_5_points_does_not(workspace):
    plan = _plan_on(workspace, "steady", 50)
    shows = ChannelUsage.objects.get(channel__name="Trade shows").channel
    ActualFactory(plan=plan, channel=shows, amount=Decimal("85"), date=plan.start)
    ActualFactory(
        plan=plan, experiment=_experiment(workspace), amount=Decimal("15"), date=plan.start
    )
    assert "drift" not in kinds(workspace)


def _experiment(workspace):
    from experiments.models import Experiment

    return Experiment.objects.filter(workspace=workspace).first()


def test_every_signal_links_to_a_place_in_the_workspace(workspace):
    _plan_on(workspace, "declining", 50)
    for signal in build_dashboard(workspace).signals:
        assert signal.url.startswith(f"/w/{workspace.slug}/"), signal


def test_the_emerging_signal_names_the_threshold_it_applies(workspace, monkeypatch):
    """The percentage in the sentence is the one the check uses, read from one constant."""
    farah = PersonaFactory(workspace=workspace, name="Farah")
    ChannelUsageFactory(persona=farah, channel=ChannelFactory(workspace=workspace), share=80)
    ChannelUsageFactory(
        persona=farah,
        channel=ChannelFactory(workspace=workspace, name="TikTok"),
        share=20,
        stage="emerging",
    )
    assert "past the 16% of innovators" in texts(workspace, "emerging")[0]
    monkeypatch.setattr("planning.dashboard.EMERGING_THRESHOLD", Decimal("12.5"))
    assert "past the 12.5% of innovators" in texts(workspace, "emerging")[0]


def test_signal_kinds_are_ordered_by_their_enum(workspace):
    from planning.dashboard import SIGNAL_ORDER, SignalKind

    assert SIGNAL_ORDER[0] == SignalKind.DRIFT and set(SIGNAL_ORDER) == set(SignalKind)
    assert all(isinstance(kind, SignalKind) for kind in kinds(workspace))

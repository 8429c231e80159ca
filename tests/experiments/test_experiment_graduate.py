"""Graduation: an adopted channel experiment makes its channel core, exactly once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from channels.models import ChannelUsage, UsageObservation
from tests.factories import ChannelFactory, ChannelUsageFactory, ExperimentFactory, PersonaFactory


@pytest.fixture
def setup(workspace):
    linkedin = ChannelFactory(workspace=workspace, name="LinkedIn")
    olivia = PersonaFactory(workspace=workspace, name="Olivia")
    paul = PersonaFactory(workspace=workspace, name="Paul")
    emerging = ChannelUsageFactory(
        persona=paul, channel=linkedin, share=5, stage="emerging", evidence="assumption"
    )
    experiment = ExperimentFactory(
        workspace=workspace,
        kind="channel",
        channel=linkedin,
        status="concluded",
        outcome="adopt",
        personas=[olivia, paul],
    )
    return experiment, linkedin, olivia, paul, emerging


def graduate(client, experiment, shares):
    url = reverse("experiments:graduate", args=[experiment.workspace.slug, experiment.pk])
    return client.post(url, {f"share_{pk}": value for pk, value in shares.items()})


def test_graduation_adds_or_promotes_with_an_observation(marketer_client, setup):
    experiment, linkedin, olivia, paul, emerging = setup
    page = marketer_client.get(
        reverse("experiments:graduate", args=[experiment.workspace.slug, experiment.pk])
    ).content.decode()
    assert (
        "Now 5 as an emerging channel: it becomes core." in page
        and "Added as a core channel." in page
    )
    response = graduate(marketer_client, experiment, {olivia.pk: "30", paul.pk: "15"})
    assert response.status_code == 303
    new = ChannelUsage.objects.get(persona=olivia, channel=linkedin)
    assert (new.share, new.stage, new.evidence) == (Decimal(30), "core", "experiment")
    emerging.refresh_from_db()
    assert (emerging.share, emerging.stage, emerging.evidence) == (
        Decimal(15),
        "core",
        "experiment",
    )
    assert UsageObservation.objects.filter(usage=new).count() == 1
    promoted = UsageObservation.objects.get(usage=emerging)
    assert (promoted.share_before, promoted.share, promoted.stage_before, promoted.stage) == (
        Decimal(5),
        Decimal(15),
        "emerging",
        "core",
    )
    experiment.refresh_from_db()
    assert experiment.graduated_at is not None


def test_graduating_twice_changes_nothing_more(marketer_client, setup):
    experiment, linkedin, olivia, paul, emerging = setup
    graduate(marketer_client, experiment, {olivia.pk: "30", paul.pk: "15"})
    response = graduate(marketer_client, experiment, {olivia.pk: "30", paul.pk: "15"})
    assert response.status_code == 303
    assert ChannelUsage.objects.get(persona=olivia, channel=linkedin).share == 30
    assert ChannelUsage.objects.filter(channel=linkedin).count() == 2
    assert UsageObservation.objects.count() == 2


def test_the_service_refuses_a_second_graduation(marketer, setup):
    from experiments.services import CannotGraduate, experiment_graduate

    experiment, linkedin, olivia, paul, emerging = setup
    shares = {olivia.pk: Decimal(30), paul.pk: Decimal(15)}
    experiment_graduate(experiment=experiment, shares=shares, user=marketer)
    experiment.refresh_from_db()
    with pytest.raises(CannotGraduate):
        experiment_graduate(experiment=experiment, shares=shares, user=marketer)
    assert ChannelUsage.objects.get(persona=olivia, channel=linkedin).share == 30


def test_bad_share_is_refused(marketer_client, setup):
    experiment, linkedin, olivia, paul, emerging = setup
    response = graduate(marketer_client, experiment, {olivia.pk: "-1", paul.pk: "abc"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "greater than or equal to 0" in html and "Enter a number" in html
    assert not ChannelUsage.objects.filter(persona=olivia).exists()
    experiment.refresh_from_db()
    assert experiment.graduated_at is None


@pytest.mark.parametrize(
    ("status", "outcome", "kind"),
    [
        ("concluded", "drop", "channel"),
        ("running", "", "channel"),
        ("concluded", "adopt", "capability"),
    ],
)
def test_only_adopted_channel_experiments_graduate(
    marketer_client, workspace, status, outcome, kind
):
    channel = ChannelFactory(workspace=workspace) if kind == "channel" else None
    persona = PersonaFactory(workspace=workspace)
    experiment = ExperimentFactory(
        workspace=workspace,
        kind=kind,
        channel=channel,
        status=status,
        outcome=outcome,
        personas=[persona],
    )
    graduate(marketer_client, experiment, {persona.pk: "10"})
    assert not ChannelUsage.objects.exists()


def test_reviewer_may_not_graduate(reviewer_client, setup):
    experiment, linkedin, olivia, paul, emerging = setup
    assert (
        graduate(reviewer_client, experiment, {olivia.pk: "30", paul.pk: "15"}).status_code == 403
    )
    assert not ChannelUsage.objects.filter(persona=olivia).exists()


def test_persona_page_lists_its_experiments_and_the_graduated_channel(marketer_client, setup):
    experiment, linkedin, olivia, paul, emerging = setup
    graduate(marketer_client, experiment, {olivia.pk: "30", paul.pk: "15"})
    html = marketer_client.get(olivia.get_absolute_url()).content.decode()
    assert experiment.title in html
    mix = html[html.index('id="section-mix"') :]
    assert "LinkedIn" in mix and "Experiment" in mix


def test_channel_page_lists_its_experiments(reviewer_client, setup):
    experiment, linkedin, *_ = setup
    html = reviewer_client.get(linkedin.get_absolute_url()).content.decode()
    assert experiment.title in html

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from experiments.models import Experiment, ExperimentTarget
from tests.factories import ChannelFactory, ExperimentFactory, PersonaFactory

HX = {"HX-Request": "true"}


@pytest.fixture
def farah(workspace):
    return PersonaFactory(workspace=workspace, name="Founder Farah")


@pytest.fixture
def tiktok(workspace):
    return ChannelFactory(workspace=workspace, name="TikTok")


def create_url(workspace) -> str:
    return reverse("experiments:create", args=[workspace.slug])


def data(farah, tiktok, **extra) -> dict:
    return {
        "title": "TikTok explainers", "kind": "channel", "channel": tiktok.pk, "personas": [farah.pk],
        "metric": "Profile visits", "baseline": "40", "target": "250", "higher_is_better": "on",
        "impact": "7", "confidence": "6", "ease": "8", "status": "running", "hypothesis": "We believe…",
        **extra,
    }  # fmt: skip


def test_marketer_creates_an_experiment(marketer_client, marketer, workspace, farah, tiktok):
    response = marketer_client.post(create_url(workspace), data(farah, tiktok))
    experiment = Experiment.objects.get(workspace=workspace)
    assert response.status_code == 303 and response["Location"] == experiment.get_absolute_url()
    assert experiment.status == "running" and experiment.start_date is not None
    assert experiment.ice_average == 7 and experiment.effective_weight == 7
    assert list(
        ExperimentTarget.objects.filter(experiment=experiment).values_list(
            "persona__name", "workspace"
        )
    ) == [("Founder Farah", workspace.pk)]
    assert experiment.created_by == marketer


def test_the_hypothesis_helper_fills_the_template(marketer_client, workspace, farah, tiktok):
    form = data(
        farah, tiktok, hypothesis="", behaviour="watch 60-second explainers", fill_hypothesis="1"
    )
    response = marketer_client.post(create_url(workspace), form, headers=HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "We believe Founder Farah will watch 60-second explainers on TikTok; "
        "we will know when Profile visits reaches 250." in html
    )
    assert 'value="TikTok explainers"' in html  # the rest of the input is kept
    assert not Experiment.objects.exists()  # filling is not saving


def test_the_hypothesis_helper_works_without_javascript(marketer_client, workspace, farah, tiktok):
    response = marketer_client.post(
        create_url(workspace), data(farah, tiktok, hypothesis="", fill_hypothesis="1")
    )
    assert response.status_code == 200
    assert "We believe Founder Farah will &lt;behaviour&gt; on TikTok" in response.content.decode()


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"impact": "0"}, "impact", "greater than or equal to 1"),
        ({"ease": "11"}, "ease", "less than or equal to 10"),
        ({"confidence": "high"}, "confidence", "Enter a whole number"),
        (
            {"start_date": "2026-05-10", "end_date": "2026-05-01"},
            "end_date",
            "cannot be before the start date",
        ),
        ({"personas": []}, "personas", "Choose at least one persona"),
        ({"channel": ""}, "channel", "A new-channel experiment needs its channel"),
        ({"title": ""}, "title", "Give the experiment a title"),
        ({"title": "t" * 121}, "title", "at most 120 characters"),
        ({"weight": "-1"}, "weight", "greater than or equal to 0"),
        ({"status": "concluded"}, "status", "Select a valid choice"),
    ],
)
def test_bad_input_is_a_field_error(
    marketer_client, workspace, farah, tiktok, extra, field, message
):
    response = marketer_client.post(create_url(workspace), data(farah, tiktok, **extra))
    assert response.status_code == 422
    html = response.content.decode()
    section = html[html.index(f'id="field-{field}"') :]
    assert message in section[: section.index("</div>\n")] or message in section[:1500]
    assert not Experiment.objects.exists()


def test_a_persona_or_channel_from_another_workspace_is_refused(
    marketer_client, workspace, other_workspace, farah, tiktok
):
    foreign_persona = PersonaFactory(workspace=other_workspace)
    foreign_channel = ChannelFactory(workspace=other_workspace)
    response = marketer_client.post(
        create_url(workspace), data(farah, tiktok, personas=[foreign_persona.pk])
    )
    assert response.status_code == 422 and "Select a valid choice" in response.content.decode()
    response = marketer_client.post(
        create_url(workspace), data(farah, tiktok, channel=foreign_channel.pk)
    )
    assert response.status_code == 422 and "Select a valid choice" in response.content.decode()
    assert not Experiment.objects.exists()


def test_prefilled_from_a_signal(marketer_client, workspace, farah, tiktok):
    html = marketer_client.get(
        create_url(workspace), {"persona": farah.pk, "channel": tiktok.pk}
    ).content.decode()
    assert (
        f'value="{farah.pk}" id="id_personas_0" checked' in html
        or f'value="{farah.pk}" checked' in html
    )
    assert f'<option value="{tiktok.pk}" selected>' in html


def test_edit_changes_personas_and_fields(marketer_client, workspace, farah, tiktok):
    dan = PersonaFactory(workspace=workspace, name="Digital Dan")
    experiment = ExperimentFactory(
        workspace=workspace, personas=[farah], kind="channel", channel=tiktok
    )
    form = data(farah, tiktok, personas=[dan.pk], title="Renamed", version=experiment.version)
    response = marketer_client.post(
        reverse("experiments:edit", args=[workspace.slug, experiment.pk]), form
    )
    assert response.status_code == 303
    experiment.refresh_from_db()
    assert experiment.title == "Renamed" and experiment.version == 2
    assert list(experiment.targets.values_list("persona__name", flat=True)) == ["Digital Dan"]


def test_stale_edit_is_refused_with_two_clients(workspace, marketer, owner, farah, tiktok):
    experiment = ExperimentFactory(
        workspace=workspace, personas=[farah], kind="channel", channel=tiktok
    )
    url = reverse("experiments:edit", args=[workspace.slug, experiment.pk])
    bob, alice = Client(), Client()
    bob.force_login(marketer)
    alice.force_login(owner)
    assert alice.post(url, data(farah, tiktok, target="300", version=1)).status_code == 303
    response = bob.post(url, data(farah, tiktok, target="400", version=1))
    assert response.status_code == 409
    html = response.content.decode()
    assert (
        "Not saved: Alice Owner changed this experiment" in html and "300" in html and "400" in html
    )
    experiment.refresh_from_db()
    assert experiment.target == 300


def test_reviewer_may_not_create_or_edit(reviewer_client, workspace, farah, tiktok):
    assert reviewer_client.post(create_url(workspace), data(farah, tiktok)).status_code == 403
    experiment = ExperimentFactory(workspace=workspace)
    assert (
        reviewer_client.get(
            reverse("experiments:edit", args=[workspace.slug, experiment.pk])
        ).status_code
        == 403
    )
    assert Experiment.objects.count() == 1


def test_outsider_gets_404(outsider_client, workspace):
    experiment = ExperimentFactory(workspace=workspace)
    assert outsider_client.get(experiment.get_absolute_url()).status_code == 404


def test_only_owner_deletes(owner_client, marketer_client, workspace):
    experiment = ExperimentFactory(workspace=workspace)
    url = reverse("experiments:delete", args=[workspace.slug, experiment.pk])
    assert marketer_client.post(url).status_code == 403
    assert owner_client.post(url).status_code == 303
    assert not Experiment.objects.exists()

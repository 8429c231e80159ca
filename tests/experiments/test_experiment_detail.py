from __future__ import annotations

from django.urls import reverse

from experiments.models import ExperimentResult
from tests.factories import ExperimentFactory, ExperimentResultFactory, PersonaFactory

HX = {"HX-Request": "true"}


def test_detail_shows_hypothesis_chart_and_figures(reviewer_client, workspace):
    farah = PersonaFactory(workspace=workspace, name="Founder Farah")
    experiment = ExperimentFactory(
        workspace=workspace,
        personas=[farah],
        title="TikTok explainers",
        hypothesis="We believe Farah will watch",
        metric="Visits",
        baseline=40,
        target=250,
        status="running",
    )
    ExperimentResultFactory(experiment=experiment, value=120, date="2026-10-01")
    ExperimentResultFactory(experiment=experiment, value=232, date="2026-11-01")
    html = reviewer_client.get(experiment.get_absolute_url()).content.decode()
    assert "We believe Farah will watch" in html and "Founder Farah" in html
    assert (
        '<polyline class="result-line"' in html and "target 250" in html and "baseline 40" in html
    )
    assert "Visits over time: baseline 40, target 250, latest 232" in html  # the chart's title
    assert (
        "<strong>120</strong>" in html and "<strong>232</strong>" in html
    )  # the figures as a table
    assert "91% of the way to target" in html
    assert "Record a result" not in html  # a reviewer reads only


def test_add_a_result_in_place(marketer_client, marketer, workspace):
    experiment = ExperimentFactory(workspace=workspace, status="running", target=100)
    url = reverse("experiments:result_add", args=[workspace.slug, experiment.pk])
    response = marketer_client.post(
        url, {"date": "2026-11-01", "value": "100", "note": "Launch week"}, headers=HX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card section" id="results"')
    assert "Launch week" in html and "100% of the way to target" in html
    result = ExperimentResult.objects.get()
    assert result.workspace == workspace and result.created_by == marketer


def test_bad_result_is_a_field_error(marketer_client, workspace):
    experiment = ExperimentFactory(workspace=workspace, status="running")
    url = reverse("experiments:result_add", args=[workspace.slug, experiment.pk])
    response = marketer_client.post(
        url, {"date": "soon", "value": "lots", "note": "n" * 501}, headers=HX
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert (
        "Enter a valid date" in html
        and "Enter a number" in html
        and "at most 500 characters" in html
    )
    assert 'value="lots"' in html
    assert not ExperimentResult.objects.exists()


def test_remove_a_result(marketer_client, workspace):
    result = ExperimentResultFactory(experiment=ExperimentFactory(workspace=workspace))
    url = reverse(
        "experiments:result_delete", args=[workspace.slug, result.experiment.pk, result.pk]
    )
    assert marketer_client.post(url, headers=HX).status_code == 200
    assert not ExperimentResult.objects.exists()


def test_result_of_another_experiment_is_404(marketer_client, workspace):
    experiment = ExperimentFactory(workspace=workspace)
    other = ExperimentResultFactory(experiment=ExperimentFactory(workspace=workspace))
    url = reverse("experiments:result_delete", args=[workspace.slug, experiment.pk, other.pk])
    assert marketer_client.post(url).status_code == 404
    assert ExperimentResult.objects.filter(pk=other.pk).exists()


def test_reviewer_may_not_record_results(reviewer_client, workspace):
    experiment = ExperimentFactory(workspace=workspace)
    url = reverse("experiments:result_add", args=[workspace.slug, experiment.pk])
    assert reviewer_client.post(url, {"date": "2026-11-01", "value": "1"}).status_code == 403
    assert not ExperimentResult.objects.exists()


def test_detail_query_count_is_fixed(reviewer_client, workspace, django_assert_num_queries):
    experiment = ExperimentFactory(workspace=workspace, status="running")

    def grow(n):
        for _ in range(n):
            ExperimentResultFactory(experiment=experiment)
            PersonaFactory(workspace=workspace)
        from experiments.models import ExperimentTarget
        from personas.models import Persona

        for persona in Persona.objects.filter(workspace=workspace).exclude(
            experiment_targets__experiment=experiment
        ):
            ExperimentTarget.objects.create(
                workspace=workspace, experiment=experiment, persona=persona
            )

    # session, user, savepoint, membership, experiment with its latest result,
    # results, targets with personas, release.
    grow(3)
    with django_assert_num_queries(8):
        reviewer_client.get(experiment.get_absolute_url())
    grow(120)
    with django_assert_num_queries(8):
        response = reviewer_client.get(experiment.get_absolute_url())
    assert response.content.decode().count('class="result-dot"') == 123

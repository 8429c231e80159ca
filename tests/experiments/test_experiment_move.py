"""Status moves: the transitions the spec allows, for the roles that may."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from experiments.models import Experiment
from tests.factories import ExperimentFactory

HX = {"HX-Request": "true"}
STATUSES = ["idea", "planned", "running", "concluded"]
ALLOWED = {("idea", "planned"), ("planned", "idea"), ("planned", "running"), ("running", "planned")}


def move(client, experiment, status, **headers):
    url = reverse("experiments:move", args=[experiment.workspace.slug, experiment.pk])
    return client.post(url, {"status": status, "version": experiment.version}, headers=headers)


@pytest.mark.parametrize(
    ("start", "end"), [p for p in itertools.product(STATUSES, STATUSES) if p[0] != p[1]]
)
def test_every_move_for_a_marketer(marketer_client, workspace, start, end):
    outcome = "adopt" if start == "concluded" else ""
    experiment = ExperimentFactory(workspace=workspace, status=start, outcome=outcome)
    response = move(marketer_client, experiment, end, **HX)
    experiment.refresh_from_db()
    if (start, end) in ALLOWED:
        assert response.status_code == 200
        assert experiment.status == end and experiment.version == 2
    else:
        assert response.status_code == 422
        assert experiment.status == start and experiment.version == 1


def test_moving_to_running_sets_the_start_date(marketer_client, workspace):
    experiment = ExperimentFactory(workspace=workspace, status="planned")
    move(marketer_client, experiment, "running")
    experiment.refresh_from_db()
    assert experiment.start_date is not None


def test_move_refused_message_on_the_board(marketer_client, workspace):
    experiment = ExperimentFactory(workspace=workspace, status="idea")
    response = move(marketer_client, experiment, "running", **HX)
    assert "Idea cannot move to running." in response.content.decode()


def test_concluding_needs_outcome_and_learnings(marketer_client, workspace):
    experiment = ExperimentFactory(workspace=workspace, status="running")
    url = reverse("experiments:conclude", args=[workspace.slug, experiment.pk])
    response = marketer_client.post(url, {"version": 1})
    assert response.status_code == 422
    html = response.content.decode()
    assert html.count("This field is required") == 2
    experiment.refresh_from_db()
    assert experiment.status == "running" and experiment.outcome == ""
    response = marketer_client.post(
        url, {"outcome": "adopt", "learnings": "It works", "version": 1}
    )
    assert response.status_code == 303
    experiment.refresh_from_db()
    assert (experiment.status, experiment.outcome) == ("concluded", "adopt")
    assert experiment.concluded_at is not None and experiment.end_date is not None


def test_conclude_end_before_start_is_refused(marketer_client, workspace):
    experiment = ExperimentFactory(workspace=workspace, status="running", start_date="2026-05-01")
    url = reverse("experiments:conclude", args=[workspace.slug, experiment.pk])
    response = marketer_client.post(
        url, {"outcome": "drop", "learnings": "x", "end_date": "2026-04-01", "version": 1}
    )
    assert response.status_code == 422
    assert "cannot be before the start date" in response.content.decode()


def test_only_running_experiments_conclude(marketer_client, workspace):
    experiment = ExperimentFactory(workspace=workspace, status="idea")
    url = reverse("experiments:conclude", args=[workspace.slug, experiment.pk])
    marketer_client.post(url, {"outcome": "adopt", "learnings": "x", "version": 1})
    experiment.refresh_from_db()
    assert experiment.status == "idea" and experiment.outcome == ""


def test_outcome_only_when_concluded_is_enforced_by_the_database(workspace):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ExperimentFactory(workspace=workspace, status="running", outcome="adopt")
    with pytest.raises(IntegrityError), transaction.atomic():
        ExperimentFactory(workspace=workspace, status="concluded", outcome="")


def test_stale_move_is_refused(marketer_client, workspace):
    experiment = ExperimentFactory(workspace=workspace, status="planned")
    Experiment.objects.filter(pk=experiment.pk).update(version=2, status="running")
    response = move(marketer_client, experiment, "idea", **HX)  # based on version 1
    assert response.status_code in (409, 422)
    experiment.refresh_from_db()
    assert experiment.status == "running"


@pytest.mark.parametrize("role", ["reviewer_client", "outsider_client"])
def test_reviewer_and_outsider_may_not_move(request, workspace, role):
    client = request.getfixturevalue(role)
    experiment = ExperimentFactory(workspace=workspace, status="idea")
    response = move(client, experiment, "planned")
    assert response.status_code == (403 if role == "reviewer_client" else 404)
    conclude = reverse("experiments:conclude", args=[workspace.slug, experiment.pk])
    assert client.post(
        conclude, {"outcome": "adopt", "learnings": "x", "version": 1}
    ).status_code in (403, 404)
    experiment.refresh_from_db()
    assert experiment.status == "idea"


def test_owner_may_move(owner_client, workspace):
    experiment = ExperimentFactory(workspace=workspace, status="idea")
    move(owner_client, experiment, "planned")
    experiment.refresh_from_db()
    assert experiment.status == "planned"

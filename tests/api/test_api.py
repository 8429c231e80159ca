"""The JSON API: tokens, the schema, reads, writes, conflicts and errors."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken
from accounts.tokens import token_create, token_revoke
from personas.models import Persona
from tests.factories import (
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    PersonaFactory,
    PlanFactory,
)


def api(token: str | None = None) -> Client:
    client = Client()
    if token:
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


@pytest.fixture
def marketer_token(marketer):
    return token_create(user=marketer, name="Script")[1]


@pytest.fixture
def reviewer_token(reviewer):
    return token_create(user=reviewer, name="BI")[1]


def send(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_the_schema_is_served_and_names_every_endpoint(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/w/{slug}/personas" in schema["paths"]
    assert "/api/v1/w/{slug}/plans/{plan_id}" in schema["paths"]
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            assert operation["responses"], path


@pytest.mark.parametrize(
    "header", [None, "Bearer nonsense", "Bearer pk_forged-token-that-does-not-exist", "Basic abc"]
)
def test_no_or_a_bad_token_gives_401_json(workspace, header):
    client = Client()
    if header:
        client.defaults["HTTP_AUTHORIZATION"] = header
    response = client.get(f"/api/v1/w/{workspace.slug}/personas")
    assert response.status_code == 401 and response.json()["detail"]


def test_a_signed_in_browser_session_does_not_open_the_api(marketer_client, workspace):
    assert marketer_client.get(f"/api/v1/w/{workspace.slug}/personas").status_code == 401


def test_a_revoked_token_stops_working(marketer, workspace):
    token, secret = token_create(user=marketer, name="Old")
    assert api(secret).get(f"/api/v1/w/{workspace.slug}/personas").status_code == 200
    token_revoke(token=token)
    assert api(secret).get(f"/api/v1/w/{workspace.slug}/personas").status_code == 401


def test_tokens_are_stored_hashed_and_shown_once(marketer_client, marketer):
    response = marketer_client.post(
        reverse("accounts:token_create"), {"token-name": "Looker"}, follow=True
    )
    assert response.redirect_chain == [(reverse("accounts:profile"), 303)]
    html = response.content.decode()
    assert "Token “Looker” created." in html
    secret = html.split('id="new-token" value="')[1].split('"')[0]
    token = ApiToken.objects.get(user=marketer)
    assert (
        secret.startswith("pk_") and secret not in token.token_hash and token.prefix == secret[:10]
    )
    assert secret not in marketer_client.get(reverse("accounts:profile")).content.decode()


def test_a_token_never_reaches_another_workspace(outsider, workspace):
    PersonaFactory(workspace=workspace, name="Secret")
    secret = token_create(user=outsider, name="x")[1]
    response = api(secret).get(f"/api/v1/w/{workspace.slug}/personas")
    assert response.status_code == 404 and "Secret" not in response.content.decode()
    workspaces = api(secret).get("/api/v1/workspaces").json()
    assert [w["slug"] for w in workspaces] == ["elsewhere"]


def test_list_is_paginated(reviewer_token, workspace):
    for i in range(7):
        PersonaFactory(workspace=workspace, name=f"P{i}")
    page = (
        api(reviewer_token)
        .get(f"/api/v1/w/{workspace.slug}/personas", {"limit": 3, "offset": 3})
        .json()
    )
    assert page["count"] == 7 and [p["name"] for p in page["items"]] == ["P3", "P4", "P5"]


def test_list_query_count_is_fixed(reviewer_token, workspace, django_assert_num_queries):
    for _ in range(3):
        PersonaFactory(workspace=workspace)
    client = api(reviewer_token)
    url = f"/api/v1/w/{workspace.slug}/personas"
    client.get(url)  # The first use of a token also records when it was used.
    # Savepoint, token + user, membership + workspace, count, page, release:
    # the page is read from the database, never the whole table.
    with django_assert_num_queries(6):
        client.get(url)
    for _ in range(80):
        PersonaFactory(workspace=workspace)
    with django_assert_num_queries(6):
        assert len(client.get(url, {"limit": 100}).json()["items"]) == 83


def test_create_and_read_a_persona(marketer_token, marketer, workspace):
    response = send(
        api(marketer_token),
        "post",
        f"/api/v1/w/{workspace.slug}/personas",
        {"name": "API Ann", "adoption_stage": "laggard", "present_share_override": 90},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["present_share"] == 90 and body["version"] == 1
    persona = Persona.objects.get(pk=body["id"])
    assert persona.workspace == workspace and persona.created_by == marketer
    assert (
        api(marketer_token).get(f"/api/v1/w/{workspace.slug}/personas/{persona.pk}").json()["name"]
        == "API Ann"
    )


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": "x" * 101},
        {"name": "A", "priority": 9},
        {"name": "A", "adoption_stage": "visionary"},
        {"name": "A", "present_share_override": 101},
    ],
)
def test_bad_input_is_422_json_and_saves_nothing(marketer_token, workspace, body):
    response = send(api(marketer_token), "post", f"/api/v1/w/{workspace.slug}/personas", body)
    assert response.status_code == 422 and response.json()["detail"]
    assert not Persona.objects.exists()


def test_a_stale_version_is_refused_with_409(marketer_token, workspace, owner):
    persona = PersonaFactory(workspace=workspace)
    owner_secret = token_create(user=owner, name="o")[1]
    url = f"/api/v1/w/{workspace.slug}/personas/{persona.pk}"
    assert (
        send(api(owner_secret), "patch", url, {"version": 1, "goals": "Owner's"}).status_code == 200
    )
    response = send(api(marketer_token), "patch", url, {"version": 1, "goals": "Marketer's"})
    assert response.status_code == 409
    assert response.json()["current_version"] == 2 and "Alice Owner" in response.json()["detail"]
    persona.refresh_from_db()
    assert persona.goals == "Owner's"


def test_usages_refuse_ids_of_another_workspace(marketer_token, workspace, other_workspace):
    persona = PersonaFactory(workspace=workspace)
    foreign = ChannelFactory(workspace=other_workspace)
    response = send(
        api(marketer_token),
        "post",
        f"/api/v1/w/{workspace.slug}/usages",
        {"persona_id": persona.pk, "channel_id": foreign.pk, "share": "5"},
    )
    assert response.status_code == 422 and "of this workspace" in response.json()["detail"]


def test_usage_patch_keeps_an_observation(marketer_token, workspace):
    from channels.models import UsageObservation

    usage = ChannelUsageFactory(persona=PersonaFactory(workspace=workspace), share=10)
    response = send(
        api(marketer_token),
        "patch",
        f"/api/v1/w/{workspace.slug}/usages/{usage.pk}",
        {"version": 1, "share": "15.5"},
    )
    assert response.status_code == 200 and response.json()["share"] == "15.50"
    assert UsageObservation.objects.get(usage=usage).share == 15.5


def test_plan_detail_gives_the_allocation(reviewer_token, workspace):
    persona = PersonaFactory(workspace=workspace, name="Olivia")
    ChannelUsageFactory(
        persona=persona, channel=ChannelFactory(workspace=workspace, name="LinkedIn")
    )
    ExperimentFactory(workspace=workspace, status="running", personas=[persona], title="Pilot")
    plan = PlanFactory(workspace=workspace, personas=[persona], total_effort=1000)
    body = api(reviewer_token).get(f"/api/v1/w/{workspace.slug}/plans/{plan.pk}").json()
    assert (body["planned_present"], body["planned_future"]) == ("800.00", "200.00")
    assert {(line["label"], line["amount"]) for line in body["lines"]} == {
        ("LinkedIn", "800.00"),
        ("Pilot", "200.00"),
    }


def test_errors_for_unknown_objects_are_json(reviewer_token, workspace):
    response = api(reviewer_token).get(f"/api/v1/w/{workspace.slug}/personas/999999")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_a_token_without_a_name_is_refused_beside_the_field(marketer_client, marketer):
    response = marketer_client.post(reverse("accounts:token_create"), {"token-name": " "})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.filter(user=marketer).exists()

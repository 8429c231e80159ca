"""The API's access matrix: every endpoint, for every role's token, a token of
another workspace, and no token. Fails on an endpoint it does not cover."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from accounts.tokens import token_create
from tests.factories import (
    ActualFactory,
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    ExperimentResultFactory,
    PersonaFactory,
    PlanFactory,
)
from tests.test_access_matrix import ALLOWED, iter_url_patterns

ROLES = ["anonymous", "outsider", "reviewer", "marketer", "owner"]


@dataclass(frozen=True)
class Call:
    access: str  # a spec action, or "signed_in" for any valid token
    method: str
    kwargs: Callable[[dict], dict] = field(default=lambda w: {})
    body: Callable[[dict], Any] = field(default=lambda w: None)


def ws(**extra):
    return lambda w: {"slug": w["workspace"].slug} | {k: f(w) for k, f in extra.items()}


CALLS: dict[str, list[Call]] = {
    "api:openapi-json": [Call("public", "get")],
    "api:index": [Call("public", "get")],
    "api:workspaces": [Call("signed_in", "get")],
    "api:persona_list": [
        Call("view", "get", ws()),
        Call("edit", "post", ws(), lambda w: {"name": "API persona"}),
    ],
    "api:persona_detail": [
        Call("view", "get", ws(persona_id=lambda w: w["persona"].pk)),
        Call(
            "edit",
            "patch",
            ws(persona_id=lambda w: w["persona"].pk),
            lambda w: {"version": w["persona"].version, "goals": "From the API"},
        ),
        Call("delete", "delete", ws(persona_id=lambda w: w["persona"].pk)),
    ],
    "api:channel_list": [
        Call("view", "get", ws()),
        Call("edit", "post", ws(), lambda w: {"name": "API channel", "category": "social"}),
    ],
    "api:usage_list": [
        Call("view", "get", ws()),
        Call(
            "edit",
            "post",
            ws(),
            lambda w: {
                "persona_id": w["persona"].pk,
                "channel_id": w["other_channel"].pk,
                "share": "5",
            },
        ),
    ],
    "api:usage_update": [
        Call(
            "edit",
            "patch",
            ws(usage_id=lambda w: w["usage"].pk),
            lambda w: {"version": w["usage"].version, "share": "7"},
        ),
    ],
    "api:experiment_list": [
        Call("view", "get", ws()),
        Call(
            "edit",
            "post",
            ws(),
            lambda w: {
                "title": "API experiment",
                "kind": "capability",
                "persona_ids": [w["persona"].pk],
            },
        ),
    ],
    "api:experiment_detail": [
        Call("view", "get", ws(experiment_id=lambda w: w["experiment"].pk)),
        Call(
            "edit",
            "patch",
            ws(experiment_id=lambda w: w["experiment"].pk),
            lambda w: {"version": w["experiment"].version, "metric": "Leads"},
        ),
    ],
    "api:result_list": [
        Call("view", "get", ws(experiment_id=lambda w: w["experiment"].pk)),
        Call(
            "edit",
            "post",
            ws(experiment_id=lambda w: w["experiment"].pk),
            lambda w: {"date": "2027-01-05", "value": "12"},
        ),
    ],
    "api:plan_list": [Call("view", "get", ws())],
    "api:plan_detail": [Call("view", "get", ws(plan_id=lambda w: w["plan"].pk))],
    "api:actual_list": [
        Call("view", "get", ws()),
        Call(
            "edit",
            "post",
            ws(),
            lambda w: {
                "plan_id": w["plan"].pk,
                "date": "2027-01-10",
                "channel_id": w["channel"].pk,
                "amount": "3",
            },
        ),
    ],
}
# Names that share a path with another operation (same URL, other method).
SAME_PATH = {
    "api:api-root": "api:index",  # the framework's own root, shadowed by the index
    "api:persona_create": "api:persona_list",
    "api:persona_update": "api:persona_detail",
    "api:persona_delete": "api:persona_detail",
    "api:channel_create": "api:channel_list",
    "api:usage_create": "api:usage_list",
    "api:experiment_create": "api:experiment_list",
    "api:experiment_update": "api:experiment_detail",
    "api:result_create": "api:result_list",
    "api:actual_create": "api:actual_list",
}


def api_names() -> list[str]:
    return sorted(
        {n for n, _ in iter_url_patterns(get_resolver().url_patterns) if n and n.startswith("api:")}
    )


def test_every_api_endpoint_is_covered():
    missing = [n for n in api_names() if n not in CALLS and n not in SAME_PATH]
    assert not missing, f"Some API endpoints are untested! Add them to CALLS: {missing}"


@pytest.fixture
def world(workspace, owner, marketer, reviewer, outsider):
    persona = PersonaFactory(workspace=workspace)
    channel = ChannelFactory(workspace=workspace)
    experiment = ExperimentFactory(workspace=workspace, status="running", personas=[persona])
    ExperimentResultFactory(experiment=experiment)
    plan = PlanFactory(workspace=workspace, personas=[persona])
    ActualFactory(plan=plan, channel=channel)
    tokens = {
        role: token_create(user=user, name="matrix")[1]
        for role, user in [
            ("owner", owner),
            ("marketer", marketer),
            ("reviewer", reviewer),
            ("outsider", outsider),
        ]
    }
    return {
        "workspace": workspace, "persona": persona, "channel": channel, "other_channel": ChannelFactory(workspace=workspace),
        "usage": ChannelUsageFactory(persona=persona, channel=channel), "experiment": experiment, "plan": plan, "tokens": tokens,
    }  # fmt: skip


def _cases():
    for name, calls in CALLS.items():
        for call in calls:
            for role in ROLES:
                yield pytest.param(name, call, role, id=f"{name}-{call.method}-{role}")


@pytest.mark.parametrize(("name", "call", "role"), list(_cases()))
def test_api_answers_each_role_as_the_spec_says(world, name, call, role):
    import json

    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {world['tokens'][role]}"}
    url = reverse(name, kwargs=call.kwargs(world))
    body = call.body(world)
    client = Client()
    kwargs = {"headers": headers}
    if body is not None:
        kwargs |= {"data": json.dumps(body), "content_type": "application/json"}
    response = getattr(client, call.method)(url, **kwargs)
    status = response.status_code
    assert status < 500, f"{name} crashed: {response.content[:300]}"
    assert response["Content-Type"].startswith("application/json") or status == 204
    if call.access == "public":
        assert status == 200
    elif role == "anonymous":
        assert status == 401, f"{name} {call.method} without a token: {status}"
    elif call.access == "signed_in":
        assert status == 200
    elif role == "outsider":
        assert status == 404, f"{name} {call.method} with another workspace's token: {status}"
    elif role in ALLOWED[call.access]:
        assert status in (200, 201, 204), (
            f"{name} {call.method} as {role}: {status} {response.content[:300]}"
        )
    else:
        assert status == 403, f"{name} {call.method} as {role}: {status}"
        assert "cannot" in response.json()["detail"]

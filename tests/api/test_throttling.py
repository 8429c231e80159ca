"""The API answers 429 with Retry-After and a JSON sentence past its limits:
per token, reads and writes apart, and per client for wrong tokens."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from accounts.tokens import token_create
from personas.models import Persona

PERSONAS = "/api/v1/w/northwind/personas"


def api(token: str, ip: str = "10.2.0.1") -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR=ip)


def create(client: Client, name: str):
    return client.post(PERSONAS, data=json.dumps({"name": name}), content_type="application/json")


def assert_throttled(response) -> None:
    assert response.status_code == 429
    seconds = int(response["Retry-After"])
    assert seconds > 0
    body = response.json()
    assert body["detail"].startswith("Too many requests: try again in ")
    assert body["retry_after"] == seconds


@pytest.fixture
def limits(settings, rate_clock):
    settings.API_READ_RATE_LIMIT = "5/m"
    settings.API_WRITE_RATE_LIMIT = "2/m"
    settings.API_BAD_TOKEN_RATE_LIMIT = "3/m"


def test_reads_are_limited_per_token(limits, marketer, rate_clock):
    first, second = (token_create(user=marketer, name=n)[1] for n in ("A", "B"))
    client = api(first)
    assert [client.get(PERSONAS).status_code for _ in range(5)] == [200] * 5
    assert_throttled(client.get(PERSONAS))
    assert api(second).get(PERSONAS).status_code == 200  # another token has its own count
    rate_clock.advance(61)
    assert client.get(PERSONAS).status_code == 200


def test_writes_are_limited_apart_and_more_strictly(limits, marketer):
    client = api(token_create(user=marketer, name="Script")[1])
    assert [create(client, f"P{i}").status_code for i in range(2)] == [201, 201]
    assert_throttled(create(client, "P2"))
    assert Persona.objects.count() == 2
    assert client.get(PERSONAS).status_code == 200  # reads still go through


def test_wrong_tokens_are_limited_per_client(limits, marketer, rate_clock):
    good = token_create(user=marketer, name="Script")[1]
    wrong = api("pk_a-token-that-does-not-exist")
    assert [wrong.get(PERSONAS).status_code for _ in range(3)] == [401, 401, 401]
    assert_throttled(wrong.get(PERSONAS))
    assert_throttled(api(good).get(PERSONAS))  # this client is held back whatever it sends
    assert api(good, ip="10.2.0.2").get(PERSONAS).status_code == 200  # others are not
    rate_clock.advance(61)
    assert api(good).get(PERSONAS).status_code == 200


def test_the_default_limits_stop_a_burst_of_300(marketer, rate_clock):
    client = api(token_create(user=marketer, name="Script")[1])
    statuses = [client.get(PERSONAS).status_code for _ in range(300)]
    assert statuses.count(200) == 120
    assert statuses[120:] == [429] * 180

"""Production settings: safe by default, and refusing to start when they are not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "-production-secret-that-is-long-enough-" + "x" * 20


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "PACEKEEPER_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_passes_check_deploy_without_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        PACEKEEPER_ENV="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="pacekeeper.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_a_missing_secret_key():
    result = run_manage(
        "check", PACEKEEPER_ENV="production", ALLOWED_HOSTS="pacekeeper.example.com"
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_debug():
    result = run_manage(
        "check",
        PACEKEEPER_ENV="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="pacekeeper.example.com",
        DEBUG="true",
    )
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_a_bad_boolean_fails_loudly():
    result = run_manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_development_check_is_clean():
    result = run_manage("check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_malformed_rate_limit_is_refused():
    result = run_manage("check", SHARE_RATE_LIMIT="sixty a minute")
    assert result.returncode != 0
    assert "SHARE_RATE_LIMIT must be a rate such as 60/m" in result.stderr


def test_rate_limits_are_read_from_the_environment(monkeypatch):
    from pacekeeper.env import env_rate

    monkeypatch.setenv("PDF_RATE_LIMIT", "100/5m")
    assert env_rate("PDF_RATE_LIMIT", "10/m") == "100/5m"
    monkeypatch.delenv("PDF_RATE_LIMIT")
    assert env_rate("PDF_RATE_LIMIT", "10/m") == "10/m"


def test_a_cache_url_that_is_not_redis_is_refused():
    result = run_manage("check", CACHE_URL="memcached://127.0.0.1:11211")
    assert result.returncode != 0
    assert "CACHE_URL must be a Redis address" in result.stderr


def test_an_admin_url_that_is_not_a_path_is_refused():
    result = run_manage("check", ADMIN_URL="../../etc")
    assert result.returncode != 0
    assert "ADMIN_URL must be a path" in result.stderr


REDIS = "redis://127.0.0.1:6379/12"
COUNT = (
    "from django.core.cache import cache; from accounts.ratelimits import limit_hit; "
    "from django.test import RequestFactory; "
    "r = RequestFactory().get('/'); "
    "print([limit_hit(r, 'settings-test', '{key}', '2/h') is not None for _ in range(2)])"
)


def test_with_a_redis_cache_url_two_processes_share_one_count():
    import socket
    import uuid

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    key = uuid.uuid4().hex
    first = run_manage("shell", "-c", COUNT.format(key=key), CACHE_URL=REDIS)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().splitlines()[-1] == "[False, False]"  # two of the two allowed
    second = run_manage("shell", "-c", COUNT.format(key=key), CACHE_URL=REDIS)
    assert second.stdout.strip().splitlines()[-1] == "[True, True]"  # another process sees them
    alone = run_manage("shell", "-c", COUNT.format(key=key))
    assert (
        alone.stdout.strip().splitlines()[-1] == "[False, False]"
    )  # local memory: each process its own


def test_an_unknown_task_backend_stops_the_app_with_its_name():
    result = run_manage("check", TASKS_BACKEND="celery")
    assert result.returncode != 0
    assert "TASKS_BACKEND must be 'database' or 'rq', not 'celery'" in result.stderr


def test_the_database_queue_is_the_default():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])",
    )
    assert result.stdout.strip().endswith("django_tasks_db.DatabaseBackend")


def test_the_redis_queue_is_chosen_by_the_environment():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.TASKS['default']['BACKEND'], "
        "settings.RQ_QUEUES['default']['URL'])",
        TASKS_BACKEND="rq",
        REDIS_URL="redis://127.0.0.1:6379/5",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "django_tasks_rq.RQBackend redis://127.0.0.1:6379/5"
    )
    assert run_manage("check", TASKS_BACKEND="rq").returncode == 0


def test_a_redis_queue_url_that_is_not_redis_is_refused():
    result = run_manage("check", TASKS_BACKEND="rq", REDIS_URL="http://127.0.0.1:6379")
    assert result.returncode != 0
    assert "REDIS_URL must be a Redis address" in result.stderr

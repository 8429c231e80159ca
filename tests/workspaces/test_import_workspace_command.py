from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from personas.models import Persona
from tests.factories import PersonaFactory
from workspaces.backup import document_to_json, workspace_export
from workspaces.models import Workspace


@pytest.fixture
def backup_file(tmp_path, owner, workspace):
    PersonaFactory(workspace=workspace, name="Operations Olivia")
    path = tmp_path / "northwind-backup.json"
    path.write_text(document_to_json(workspace_export(workspace)), encoding="utf-8")
    return path


def run(*args, stdin: str | None = None) -> str:
    out = StringIO()
    options = {"stdin": StringIO(stdin)} if stdin is not None else {}
    call_command("import_workspace", *args, stdout=out, **options)
    return out.getvalue()


def test_imports_a_file_into_a_new_workspace(backup_file, owner):
    printed = run(str(backup_file), "--slug", "northwind-copy")
    imported = Workspace.objects.get(slug="northwind-copy")
    assert imported.name == "Northwind"
    assert Persona.objects.get(workspace=imported).name == "Operations Olivia"
    assert imported.memberships.get(user=owner).role == "owner"
    assert len(printed.strip().splitlines()) == 1
    assert "Imported Northwind as /w/northwind-copy/: memberships 1, personas 1," in printed


def test_reads_standard_input_and_takes_a_name(backup_file):
    run(
        "-",
        "--slug",
        "northwind-copy",
        "--name",
        "Northwind (restored)",
        stdin=backup_file.read_text(),
    )
    assert Workspace.objects.get(slug="northwind-copy").name == "Northwind (restored)"


def test_a_newer_format_is_refused(backup_file):
    document = json.loads(backup_file.read_text())
    backup_file.write_text(json.dumps({**document, "format_version": 2}))
    with pytest.raises(CommandError) as refused:
        run(str(backup_file), "--slug", "northwind-copy")
    assert str(refused.value) == (
        "This backup was made by a newer Pacekeeper (format 2); this server reads format 1 at most."
    )
    assert not Workspace.objects.filter(slug="northwind-copy").exists()


def test_an_address_in_use_is_refused(backup_file):
    with pytest.raises(CommandError, match="Another workspace uses the address “northwind”"):
        run(str(backup_file), "--slug", "northwind")


def test_not_json_is_refused(tmp_path, db):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(CommandError, match="is not JSON"):
        run(str(path), "--slug", "northwind-copy")


def test_a_missing_file_is_refused(tmp_path, db):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.json"), "--slug", "northwind-copy")


def test_a_broken_backup_imports_nothing(backup_file):
    document = json.loads(backup_file.read_text())
    document["personas"][0]["priority"] = "high"
    backup_file.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="personas #1: priority “high” is not valid"):
        run(str(backup_file), "--slug", "northwind-copy")
    assert not Workspace.objects.filter(slug="northwind-copy").exists()


def test_deeply_nested_json_is_refused_in_one_line(tmp_path, db):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(CommandError, match="nests lists or objects more than 16 levels deep"):
        run(str(path), "--slug", "northwind-copy")
    assert not Workspace.objects.filter(slug="northwind-copy").exists()


def test_the_command_line_shows_one_line_and_exits_with_1(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"a":' * 100_000 + "1" + "}" * 100_000)
    done = subprocess.run(
        [sys.executable, "manage.py", "import_workspace", str(path), "--slug", "deep"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "CommandError: This file nests lists or objects more than 16 levels deep; no backup "
        "does: choose a backup downloaded from a workspace's settings page."
    ]

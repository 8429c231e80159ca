from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories import ChannelUsageFactory, PersonaFactory
from workspaces.backup import FORMAT, FORMAT_VERSION


def export(slug: str) -> str:
    out = StringIO()
    call_command("export_workspace", slug, stdout=out)
    return out.getvalue()


def test_writes_the_workspace_as_json(owner, workspace):
    ChannelUsageFactory(persona=PersonaFactory(workspace=workspace, name="Opérations Olivia"))
    document = json.loads(export("northwind"))
    assert (document["format"], document["format_version"]) == (FORMAT, FORMAT_VERSION)
    assert document["workspace"]["slug"] == "northwind"
    assert document["memberships"][0]["email"] == "alice@example.com"
    assert document["channel_usages"][0]["persona"] == 1


def test_output_is_indented_sorted_and_keeps_letters_readable(owner, workspace):
    PersonaFactory(workspace=workspace, name="Opérations Olivia")
    text = export("northwind")
    assert text.startswith('{\n  "actuals": [],\n  "channel_usages": [')
    assert '"name": "Opérations Olivia"' in text
    keys = list(json.loads(text))
    assert keys == sorted(keys)


def test_other_workspaces_stay_out(owner, workspace, other_workspace):
    PersonaFactory(workspace=other_workspace, name="Someone Else's Persona")
    assert "Someone Else's Persona" not in export("northwind")


def test_unknown_workspace_is_an_error(db):
    with pytest.raises(CommandError, match="No workspace has the address “nowhere”"):
        export("nowhere")

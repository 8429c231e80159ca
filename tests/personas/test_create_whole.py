"""A new persona in one form: every section, and several channels at once."""

from __future__ import annotations

from django.urls import reverse

from channels.models import ChannelUsage
from personas.models import Persona
from tests.factories import ChannelFactory


def rows(*filled: dict) -> dict:
    data = {"channels-TOTAL_FORMS": "3", "channels-INITIAL_FORMS": "0"}
    for i in range(3):
        row = filled[i] if i < len(filled) else {}
        data |= {f"channels-{i}-{key}": value for key, value in row.items()}
        data.setdefault(f"channels-{i}-stage", "core")
    return data


def test_one_form_makes_the_whole_persona(marketer_client, workspace):
    linkedin = ChannelFactory(workspace=workspace, name="LinkedIn")
    url = reverse("personas:create", args=[workspace.slug])
    response = marketer_client.post(
        url,
        {"name": "Olivia", "adoption_stage": "early_majority", "goals": "Fewer late orders",
         "says": "Show me", "summary": "Runs operations"}
        | rows(
            {"channel": linkedin.pk, "share": "5"},
            {"new_channel": "Substack", "share": "2", "stage": "emerging"},
        ),
    )  # fmt: skip
    assert response.status_code == 303
    olivia = Persona.objects.get(name="Olivia")
    assert (olivia.goals, olivia.says, olivia.summary) == (
        "Fewer late orders",
        "Show me",
        "Runs operations",
    )
    mix = {u.channel.name: (u.share, u.stage) for u in ChannelUsage.objects.filter(persona=olivia)}
    assert mix == {"LinkedIn": (5, "core"), "Substack": (2, "emerging")}


def test_bad_rows_save_nothing_and_keep_the_input(marketer_client, workspace):
    url = reverse("personas:create", args=[workspace.slug])
    response = marketer_client.post(
        url, {"name": "Olivia", "adoption_stage": "innovator"} | rows({"share": "3"})
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Which channel is this share for?" in html and 'value="Olivia"' in html
    assert not Persona.objects.filter(name="Olivia").exists()


def test_too_many_rows_are_refused(marketer_client, workspace):
    url = reverse("personas:create", args=[workspace.slug])
    data = {"name": "Olivia", "adoption_stage": "innovator"} | rows()
    data["channels-TOTAL_FORMS"] = "5000"
    response = marketer_client.post(url, data)
    assert response.status_code == 422
    assert not Persona.objects.filter(name="Olivia").exists()

"""``in_workspace()``: every row, and the tenant rows fetched with it, comes with
its workspace, so pages never query it once per row."""

from __future__ import annotations

from channels.models import ChannelUsage
from personas.models import Persona
from tests.factories import ChannelUsageFactory, PersonaFactory


def test_rows_come_with_their_workspace(workspace, django_assert_num_queries):
    for name in ["Ann", "Bea", "Cy"]:
        PersonaFactory(workspace=workspace, name=name)
    with django_assert_num_queries(1):
        personas = list(Persona.objects.in_workspace(workspace).order_by("name"))
        assert [p.get_absolute_url() for p in personas] == [
            f"/w/northwind/personas/{p.pk}/" for p in personas
        ]
        assert all(p.workspace is workspace for p in personas)


def test_rows_fetched_alongside_come_with_it_too(workspace, django_assert_num_queries):
    usage = ChannelUsageFactory(persona=PersonaFactory(workspace=workspace))
    with django_assert_num_queries(1):
        (row,) = ChannelUsage.objects.in_workspace(workspace).select_related("persona", "channel")
        assert row.persona.workspace is workspace and row.channel.workspace is workspace
        assert row.channel.get_absolute_url() == f"/w/northwind/channels/{usage.channel_id}/"


def test_it_survives_further_filtering_and_single_lookups(workspace, django_assert_num_queries):
    persona = PersonaFactory(workspace=workspace, name="Ann", archived=True)
    with django_assert_num_queries(2):
        found = (
            Persona.objects.in_workspace(workspace).filter(archived=True).get_or_404(pk=persona.pk)
        )
        first = Persona.objects.in_workspace(workspace).order_by("name").first()
        assert found.workspace is workspace and first.workspace is workspace


def test_values_are_left_alone(workspace):
    PersonaFactory(workspace=workspace, name="Ann")
    assert list(Persona.objects.in_workspace(workspace).values_list("name", flat=True)) == ["Ann"]


def test_another_workspace_rows_are_not_there(workspace, other_workspace):
    PersonaFactory(workspace=other_workspace)
    assert not Persona.objects.in_workspace(workspace).exists()

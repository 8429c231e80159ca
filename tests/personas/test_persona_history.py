from __future__ import annotations

from django.urls import reverse

from tests.factories import PersonaFactory

HX = {"HX-Request": "true"}


def test_history_lists_each_change_with_who_when_and_old_to_new(
    marketer_client, owner_client, workspace, marketer
):
    create = reverse("personas:create", args=[workspace.slug])
    marketer_client.post(create, {"name": "Olivia", "adoption_stage": "early_majority"})
    from personas.models import Persona

    persona = Persona.objects.get()
    edit = reverse("personas:edit_section", args=[workspace.slug, persona.pk, "adoption"])
    owner_client.post(
        edit,
        {
            "adoption_stage": "late_majority",
            "priority": "4",
            "present_share_override": "85",
            "version": 1,
        },
    )
    owner_client.post(reverse("personas:archive", args=[workspace.slug, persona.pk]))
    html = marketer_client.get(
        reverse("personas:history", args=[workspace.slug, persona.pk])
    ).content.decode()
    assert "Bob Marketer</strong> created the persona" in html
    assert "Alice Owner</strong> changed adoption stage, priority, own present share" in html
    assert (
        '<td class="pre-line old-value">Early majority</td><td class="pre-line">Late majority</td>'
        in html
    )
    assert '<td class="pre-line old-value">—</td><td class="pre-line">85</td>' in html
    assert "archived the persona" in html
    # Newest first.
    assert (
        html.index("archived the persona")
        < html.index("changed adoption stage")
        < html.index("created the persona")
    )


def test_history_includes_research_notes(marketer_client, workspace):
    persona = PersonaFactory(workspace=workspace)
    marketer_client.post(
        reverse("personas:note_add", args=[workspace.slug, persona.pk]),
        {"kind": "survey", "date": "2026-10-01", "summary": "Survey of 140"},
    )
    html = marketer_client.get(
        reverse("personas:history", args=[workspace.slug, persona.pk])
    ).content.decode()
    assert "created the research note <strong>survey of 1 Oct 2026</strong>" in html


def test_history_query_count_is_fixed(
    reviewer_client, marketer_client, workspace, django_assert_num_queries
):
    persona = PersonaFactory(workspace=workspace)
    edit = reverse("personas:edit_section", args=[workspace.slug, persona.pk, "goals"])
    url = reverse("personas:history", args=[workspace.slug, persona.pk])

    def edit_times(n, start):
        for i in range(n):
            marketer_client.post(
                edit,
                {
                    "goals": f"Goal {i}",
                    "challenges": "",
                    "objections": "",
                    "buying_triggers": "",
                    "version": start + i,
                },
            )

    edit_times(2, 1)
    # session, user, savepoint, membership, persona, count, one page of activity,
    # release (the memberships read once serve the switcher).
    with django_assert_num_queries(8):
        reviewer_client.get(url)
    edit_times(40, 3)
    with django_assert_num_queries(8):
        response = reviewer_client.get(url)
    html = response.content.decode()
    assert html.count("changed goals") == 25  # one page; 43 changes in all
    assert "Page 1 of 2 · 43 changes" in html


def test_outsider_gets_404(outsider_client, workspace):
    persona = PersonaFactory(workspace=workspace)
    assert (
        outsider_client.get(
            reverse("personas:history", args=[workspace.slug, persona.pk])
        ).status_code
        == 404
    )

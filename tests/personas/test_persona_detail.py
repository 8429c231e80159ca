from __future__ import annotations

from django.urls import reverse

from tests.factories import PersonaFactory, ResearchNoteFactory


def detail_url(persona) -> str:
    return reverse("personas:detail", args=[persona.workspace.slug, persona.pk])


def test_detail_shows_every_section(reviewer_client, workspace):
    persona = PersonaFactory(
        workspace=workspace,
        name="Operations Olivia",
        summary="Runs three warehouses.",
        quote="Tell me which orders will be late.",
        goals="Fewer late deliveries\nOne view of the week",
        challenges="Data in spreadsheets",
        objections="Our ERP does this",
        buying_triggers="A bad quarter",
        says="Show me a peer",
        thinks="Another project",
        does="Reads LinkedIn",
        feels="Responsible",
        adoption_stage="late_majority",
    )
    html = reviewer_client.get(detail_url(persona)).content.decode()
    for text in [
        "Runs three warehouses.",
        "Tell me which orders will be late.",
        "<li>Fewer late deliveries</li>",
        "<li>One view of the week</li>",
        "Data in spreadsheets",
        "Our ERP does this",
        "A bad quarter",
        "Show me a peer",
        "Another project",
        "Reads LinkedIn",
        "Responsible",
        "Late majority: 85 / 15 suggested",
        "our own heuristic",
    ]:
        assert text in html, text


def test_reviewer_sees_no_edit_buttons(reviewer_client, workspace):
    persona = PersonaFactory(workspace=workspace)
    html = reviewer_client.get(detail_url(persona)).content.decode()
    assert "/edit/" not in html and "Duplicate" not in html and "Delete" not in html


def test_marketer_sees_edit_but_not_delete(marketer_client, workspace):
    persona = PersonaFactory(workspace=workspace)
    html = marketer_client.get(detail_url(persona)).content.decode()
    assert reverse("personas:edit_section", args=[workspace.slug, persona.pk, "goals"]) in html
    assert reverse("personas:delete", args=[workspace.slug, persona.pk]) not in html


def test_owner_sees_delete(owner_client, workspace):
    persona = PersonaFactory(workspace=workspace)
    html = owner_client.get(detail_url(persona)).content.decode()
    assert reverse("personas:delete", args=[workspace.slug, persona.pk]) in html


def test_htmx_section_request_returns_that_section_only(reviewer_client, workspace):
    persona = PersonaFactory(workspace=workspace, goals="Be on time")
    response = reviewer_client.get(
        detail_url(persona) + "?section=goals", headers={"HX-Request": "true"}
    )
    html = response.content.decode().strip()
    assert html.startswith('<section class="card section" id="section-goals"')
    assert "Be on time" in html and "section-profile" not in html


def test_persona_of_another_workspace_is_404(reviewer_client, other_workspace, workspace):
    foreign = PersonaFactory(workspace=other_workspace)
    url = reverse("personas:detail", args=[workspace.slug, foreign.pk])
    assert reviewer_client.get(url).status_code == 404


def test_outsider_gets_404(outsider_client, workspace):
    persona = PersonaFactory(workspace=workspace)
    assert outsider_client.get(detail_url(persona)).status_code == 404


def test_query_count_is_the_same_with_3_and_300_notes(
    reviewer_client, workspace, django_assert_num_queries
):
    # 1 session, 2 user, 3 savepoint, 4 memberships with their workspaces (one for the page, all for the switcher), 5 persona with its
    # people (and her part in the plan of the moment), 6 research notes with their
    # authors, 7 channel mix (no observations to read when it is empty), 8
    # experiments targeting it, 9 her part in the approved plans (lines and
    # effort, for her pace), 10 release.
    persona = PersonaFactory(workspace=workspace)
    others = [PersonaFactory(workspace=workspace) for _ in range(2)]
    for _ in range(3):
        ResearchNoteFactory(persona=persona)
    with django_assert_num_queries(10):
        reviewer_client.get(detail_url(persona))
    for _ in range(297):
        ResearchNoteFactory(persona=persona)
    others += [PersonaFactory(workspace=workspace) for _ in range(297)]
    with django_assert_num_queries(10):
        response = reviewer_client.get(detail_url(persona))
    assert response.content.decode().count('class="note"') == 300

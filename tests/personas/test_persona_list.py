from __future__ import annotations

from django.urls import reverse

from personas.views import PAGE_SIZE
from tests.factories import PersonaFactory, ResearchNoteFactory


def list_url(workspace, **params) -> str:
    from urllib.parse import urlencode

    url = reverse("personas:list", args=[workspace.slug])
    return f"{url}?{urlencode(params)}" if params else url


def test_lists_active_personas_with_their_split(reviewer_client, workspace):
    PersonaFactory(workspace=workspace, name="Operations Olivia", present_share_override=85)
    PersonaFactory(workspace=workspace, name="Digital Dan")
    PersonaFactory(workspace=workspace, name="Old Oscar", archived=True)
    html = reviewer_client.get(list_url(workspace)).content.decode()
    assert "Operations Olivia" in html and "Digital Dan" in html
    assert "Old Oscar" not in html
    assert '85</strong> / <strong class="future-text">15' in html
    assert "persona&#x27;s own" in html and "workspace default" in html


def test_search_matches_name_role_and_segment(reviewer_client, workspace):
    PersonaFactory(workspace=workspace, name="Operations Olivia", segment="Logistics")
    PersonaFactory(workspace=workspace, name="Founder Farah", segment="Startups", role_title="CEO")
    html = reviewer_client.get(list_url(workspace, q="startup")).content.decode()
    assert "Founder Farah" in html and "Operations Olivia" not in html
    html = reviewer_client.get(list_url(workspace, q="ceo")).content.decode()
    assert "Founder Farah" in html


def test_htmx_search_returns_only_the_results_fragment(reviewer_client, workspace):
    PersonaFactory(workspace=workspace, name="Founder Farah")
    response = reviewer_client.get(list_url(workspace, q="farah"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="persona-results"')
    assert "Founder Farah" in html and "<header" not in html
    assert "HX-Request" in response["Vary"]


def test_filters_by_adoption_stage_and_archived(reviewer_client, workspace):
    PersonaFactory(workspace=workspace, name="Innovator Ian", adoption_stage="innovator")
    PersonaFactory(workspace=workspace, name="Laggard Lou", adoption_stage="laggard")
    PersonaFactory(
        workspace=workspace, name="Archived Ava", archived=True, adoption_stage="laggard"
    )
    html = reviewer_client.get(list_url(workspace, stage="laggard")).content.decode()
    assert "Laggard Lou" in html and "Innovator Ian" not in html and "Archived Ava" not in html
    html = reviewer_client.get(list_url(workspace, status="archived")).content.decode()
    assert "Archived Ava" in html and "Laggard Lou" not in html
    html = reviewer_client.get(list_url(workspace, status="all")).content.decode()
    assert "Archived Ava" in html and "Laggard Lou" in html


def test_bad_filter_values_are_ignored_not_a_crash(reviewer_client, workspace):
    PersonaFactory(workspace=workspace, name="Operations Olivia")
    response = reviewer_client.get(
        list_url(workspace, stage="nonsense", sort="password", status="x")
    )
    assert response.status_code == 200
    assert "Operations Olivia" in response.content.decode()


def test_no_match_says_so_and_offers_to_clear(reviewer_client, workspace):
    PersonaFactory(workspace=workspace, name="Operations Olivia")
    html = reviewer_client.get(list_url(workspace, q="zzz")).content.decode()
    assert "No personas match" in html and "Clear filters" in html


def test_empty_state_invites_a_marketer_to_create_the_first(marketer_client, workspace):
    html = marketer_client.get(list_url(workspace)).content.decode()
    assert "Create your first persona" in html
    assert reverse("personas:create", args=[workspace.slug]) in html


def test_empty_state_for_a_reviewer_offers_no_create(reviewer_client, workspace):
    html = reviewer_client.get(list_url(workspace)).content.decode()
    assert "No personas yet" in html
    assert reverse("personas:create", args=[workspace.slug]) not in html


def test_stale_and_assumption_only_personas_are_flagged(reviewer_client, workspace):
    from datetime import timedelta

    from django.utils import timezone

    from personas.models import Persona

    stale = PersonaFactory(workspace=workspace, name="Stale Sam")
    Persona.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=200))
    ResearchNoteFactory(persona=stale, kind="interviews")
    guess = PersonaFactory(workspace=workspace, name="Guessed Gus")
    ResearchNoteFactory(persona=guess, kind="assumption")
    html = reviewer_client.get(list_url(workspace)).content.decode()
    sam = html[html.index("Stale Sam") :]
    assert "Not reviewed in 180 days" in sam[:1500]
    gus = html[html.index("Guessed Gus") :]
    assert "Assumptions only" in gus[:1500]


def test_other_workspaces_personas_never_show(reviewer_client, workspace, other_workspace):
    PersonaFactory(workspace=other_workspace, name="Secret Sid")
    html = reviewer_client.get(list_url(workspace, status="all")).content.decode()
    assert "Secret Sid" not in html


def test_outsider_gets_404(outsider_client, workspace):
    assert outsider_client.get(list_url(workspace)).status_code == 404


def _make_personas(workspace, count: int) -> None:
    for i in range(count):
        persona = PersonaFactory(workspace=workspace, name=f"Persona {i:03}")
        ResearchNoteFactory(persona=persona)


def test_query_count_does_not_grow_with_personas(
    reviewer_client, workspace, django_assert_num_queries
):
    # 1 session, 2 user, 3 savepoint (the request's transaction), 4 the user's
    # memberships with workspaces (this one, and the header's switcher), 5 how
    # many personas match, 6 one page of them with evidence counts, 7 their
    # observations and their part in the approved plans (one read, for the pace
    # badge), 8 release.
    _make_personas(workspace, 3)
    with django_assert_num_queries(8):
        response = reviewer_client.get(list_url(workspace))
    assert response.content.decode().count('class="card card-link persona-card"') == 3
    _make_personas(workspace, 297)
    with django_assert_num_queries(8):
        response = reviewer_client.get(list_url(workspace))
    assert response.content.decode().count('class="card card-link persona-card"') == PAGE_SIZE

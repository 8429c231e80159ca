"""Where pace shows: the dashboard's card, the persona's section, the persona list's
badge, the signal and the help page's formula; their query counts."""

from __future__ import annotations

from html import unescape

from django.urls import reverse

from planning.dashboard import SignalKind, build_dashboard
from tests.factories import PersonaFactory, WorkspaceFactory
from tests.planning import pace_world

FARAH = (
    "Farah's audience moved 20 points towards emerging channels in the last two quarters; "
    "your effort on them moved 2 points."
)
OLIVIA = "30% of your effort for Olivia goes to channels that hold 6% of their attention"


def dashboard_url(workspace) -> str:
    return reverse("planning:dashboard", args=[workspace.slug])


def test_the_card_names_who_the_team_falls_behind_and_runs_ahead_of(reviewer_client, workspace):
    personas = pace_world.build(workspace)
    html = unescape(reviewer_client.get(dashboard_url(workspace)).content.decode())
    card = html[html.index('id="pace"') : html.index('id="h-personas"')]
    assert "Workspace gap −4.2 points" in card and "Keeping pace" in card
    assert "1 keeping pace · 1 falling behind · 1 running ahead" in card
    assert FARAH in card and OLIVIA in card
    assert "Paul" not in card  # keeping pace: not among the most out of pace
    # One link to act for each.
    farah = personas["Farah"]
    assert f'href="/w/{workspace.slug}/personas/{farah.pk}/#section-mix">Promote TikTok' in card
    assert f'href="/w/{workspace.slug}/plans/new/">Plan next quarter with Olivia at 90 / 10' in card
    # Olivia (+20) is further out of pace than Farah (−18): she comes first.
    assert card.index("Olivia") < card.index("Farah")


def test_a_signal_for_each_persona_out_of_pace(workspace):
    pace_world.build(workspace)
    signals = [s for s in build_dashboard(workspace).signals if s.kind == SignalKind.PACE]
    assert [(s.persona_name, s.key.rsplit(":", 1)[1]) for s in signals] == [
        ("Olivia", "ahead"),
        ("Farah", "behind"),
    ]
    assert signals[1].text == f"Falling behind: {FARAH}"
    assert signals[1].action == "Promote TikTok into Farah's core"


def test_within_the_tolerance_there_is_no_signal(workspace):
    pace_world.build(workspace)
    workspace.pace_tolerance = 20
    workspace.save()
    assert not [s for s in build_dashboard(workspace).signals if s.kind == SignalKind.PACE]


def test_the_persona_page_shows_both_lines_and_the_table(reviewer_client, workspace):
    personas = pace_world.build(workspace)
    html = unescape(reviewer_client.get(personas["Farah"].get_absolute_url()).content.decode())
    section = html[html.index('id="section-pace"') : html.index('id="section-experiments"')]
    assert "Falling behind" in section and FARAH in section
    assert "Gap −18.0 points against a tolerance of 5" in section
    assert section.count('class="series-line"') == 2  # attention, allocated (no actuals)
    assert "<svg" in section and "Share of attention and of effort" in section
    # The table: the window's start and now, with their changes.
    assert "20.0%" in section and "40.0%" in section and "22.0%" in section
    assert "Promote TikTok into Farah's core" in section


def test_a_persona_without_enough_data_is_told_what_to_record(reviewer_client, workspace):
    nia = PersonaFactory(workspace=workspace, name="Nia")
    html = reviewer_client.get(nia.get_absolute_url()).content.decode()
    assert "Not enough data for a pace yet." in html
    assert "No channel mix is recorded for Nia: add the channels they use today." in html
    assert "approve a plan for" in html


def test_the_persona_list_shows_each_personas_pace(reviewer_client, workspace):
    pace_world.build(workspace)
    PersonaFactory(workspace=workspace, name="Nia")
    html = reviewer_client.get(reverse("personas:list", args=[workspace.slug])).content.decode()
    assert html.count("Pace: falling behind") == 1
    assert html.count("Pace: running ahead") == 1
    assert html.count("Pace: keeping pace") == 1
    assert html.count("Pace: not enough data") == 1


def test_the_help_page_gives_the_formula(reviewer_client, workspace):
    html = reviewer_client.get(reverse("planning:signals_help", args=[workspace.slug]))
    text = html.content.decode()
    assert "Keeping pace: how it is measured" in text
    assert "The gap G = ΔE − ΔA." in text
    assert "Pacekeeper&#x27;s own model" in text
    assert "pace tolerance is 5 points" in text


def test_persona_page_queries_are_fixed_with_many_observations(
    reviewer_client, workspace, django_assert_max_num_queries
):
    few = pace_world.build(workspace)
    with django_assert_max_num_queries(12) as small:
        reviewer_client.get(few["Olivia"].get_absolute_url())
    big = WorkspaceFactory()
    many = pace_world.build(big, extra_observations=600)
    reviewer_client.force_login(_member(big))
    with django_assert_max_num_queries(12) as large:
        response = reviewer_client.get(many["Olivia"].get_absolute_url())
    assert OLIVIA in unescape(response.content.decode())
    assert len(small.captured_queries) == len(large.captured_queries)


def test_dashboard_queries_are_fixed_with_many_observations(
    reviewer_client, workspace, django_assert_max_num_queries
):
    pace_world.build(workspace)
    with django_assert_max_num_queries(20) as small:
        reviewer_client.get(dashboard_url(workspace))
    big = WorkspaceFactory()
    pace_world.build(big, extra_observations=600)
    reviewer_client.force_login(_member(big))
    with django_assert_max_num_queries(20) as large:
        response = reviewer_client.get(dashboard_url(big))
    assert FARAH in unescape(response.content.decode())
    assert len(small.captured_queries) == len(large.captured_queries)


def _member(workspace):
    from tests.factories import MembershipFactory

    return MembershipFactory(workspace=workspace, role="reviewer").user

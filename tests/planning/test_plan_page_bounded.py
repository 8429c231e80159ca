"""A large plan's page renders a bounded part of it: the first personas' summary
rows, a persona's lines once opened, the largest roll-up rows and the first
warnings, each with a way to the rest that works with and without JavaScript."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from planning.models import PlanPersona
from planning.plan_page import PERSONAS_SHOWN, ROLLUP_ROWS_SHOWN, WARNINGS_SHOWN
from planning.scale import build_scale_workspace
from workspaces.models import Membership
from workspaces.roles import Role

HX = {"HX-Request": "true"}

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(client):
    """A 30-persona workspace, its owner signed in."""
    built = build_scale_workspace(30, slug="large")
    client.force_login(built.owner)
    return built


def _html(client, url, params=None, headers=None):
    response = client.get(url, params, headers=headers or {})
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_the_first_personas_with_their_lines_closed(client, large):
    html = _html(client, large.draft.get_absolute_url())
    assert html.count('class="persona-row"') == PERSONAS_SHOWN
    assert 'class="line-row' not in html
    assert "Persona 000" in html and f"Persona {PERSONAS_SHOWN - 1:03}" in html
    table = html.split('id="h-lines"')[1].split('id="h-channels"')[0]
    assert (
        f"Persona {PERSONAS_SHOWN - 1:03}" in table and f"Persona {PERSONAS_SHOWN:03}" not in table
    )
    assert "Show all 30 personas" in html and "10 more below" in html
    # The totals still count every persona.
    assert 'id="total-allocated">100,000.00' in html


def test_show_all_lists_every_persona(client, large):
    html = _html(client, large.draft.get_absolute_url(), {"personas": "all"})
    assert html.count('class="persona-row"') == 30
    assert "Show all 30 personas" not in html


def test_a_persona_opens_without_javascript_and_keeps_the_others_choices(client, large):
    url = large.draft.get_absolute_url()
    html = _html(client, url, {"expand": "2", "personas": "all"})
    opened = html.split('id="persona-2"')[1].split("</tbody>")[0]
    lines = opened.count('class="line-row')
    assert lines >= 10  # ten channels, and exploration
    assert html.count('class="line-row') == lines
    assert "Hide lines" in opened and 'aria-expanded="true"' in opened
    # Its link closes it again, keeping "all personas".
    assert f'href="{url}?personas=all#persona-2"' in opened
    # Another persona's link opens it beside the first.
    assert f'href="{url}?personas=all&amp;expand=2&amp;expand=3#persona-3"' in html


def test_htmx_opens_and_closes_one_persona_alone(client, large):
    url = large.draft.get_absolute_url()
    html = _html(client, url, {"row": "4", "expand": "4"}, HX)
    assert html.lstrip().startswith('<tbody class="alloc-persona" id="persona-4">')
    assert html.count("<tbody") == 1 and html.count('class="line-row') >= 10
    closed = _html(client, url, {"row": "4", "expand": "4", "collapse": "4"}, HX)
    assert closed.count("<tbody") == 1 and 'class="line-row' not in closed
    assert "Show 1" in closed  # "Show 11 lines"


def test_an_opened_persona_beyond_the_first_rows_stays_on_the_page(client, large):
    html = _html(client, large.draft.get_absolute_url(), {"expand": "27"})
    assert html.count('class="persona-row"') == PERSONAS_SHOWN + 1
    assert 'id="persona-27"' in html


def test_roll_up_tables_show_their_largest_rows_and_fold_the_rest(client, large):
    url = large.approved.get_absolute_url()
    every = _html(client, url, {"rows": "all"})
    channels = every.split('id="rollup-channels-rows"')[1].split("</tbody>")[0]
    assert "more channels" not in channels
    named = channels.count("<tr") - channels.count("rollup-gap")
    assert named > ROLLUP_ROWS_SHOWN
    html = _html(client, url)
    channels = html.split('id="rollup-channels-rows"')[1].split("</tbody>")[0]
    assert channels.count("<tr") == ROLLUP_ROWS_SHOWN + 1 + channels.count("rollup-gap")
    assert f">{named - ROLLUP_ROWS_SHOWN} more channels</a>" in channels
    assert f"{url}?rows=all#h-channels" in channels


def test_the_folded_row_keeps_the_table_adding_up(large):
    from planning.actuals import actual_totals
    from planning.selectors import plan_view, with_actuals

    view = with_actuals(plan_view(large.approved), actual_totals(large.approved))
    table = view.channel_table
    top = table.top(ROLLUP_ROWS_SHOWN, "channels")
    assert len(top.rows) < len(table.rows)
    assert sum(r.total for r in top.rows) == sum(r.total for r in table.rows)
    assert sum(r.actual or 0 for r in top.rows) == sum(r.actual or 0 for r in table.rows)
    assert top.total is table.total


def test_warnings_show_the_first_ones_and_link_to_all(client, workspace, owner):
    from tests.factories import PersonaFactory, PlanFactory

    people = [PersonaFactory(workspace=workspace, name=f"Bare {i:02}") for i in range(8)]
    plan = PlanFactory(workspace=workspace, personas=people, total_effort=Decimal("800"))
    client.force_login(owner)
    html = _html(client, plan.get_absolute_url())
    warnings = html.split('id="h-warnings"')[1].split("</section>")[0]
    assert warnings.count("badge-warning") == WARNINGS_SHOWN
    assert "Show all 16 to fix" in warnings  # each persona: unplaced and unassigned
    every = _html(client, plan.get_absolute_url(), {"warnings": "all"})
    assert every.split('id="h-warnings"')[1].split("</section>")[0].count("badge-warning") == 16


def test_a_whatif_sends_the_rows_on_screen_and_the_open_lines(client, large):
    members = {m.persona.name: m for m in large.draft.members.select_related("persona")}
    params = {"present_share": "60", "expand": "3"}
    html = _html(client, large.draft.get_absolute_url(), params, HX)
    assert html.count('data-hx-swap-oob="true"><strong>') == PERSONAS_SHOWN - 1  # amounts
    assert '<template><tbody class="alloc-persona" id="persona-3" data-hx-swap-oob="true">' in html
    assert "<input" in html.split('id="persona-3"')[1].split("</template>")[0]  # her fields
    assert html.count("<input") == 3  # her weight, her share, and her open state
    assert "Persona 029" not in html
    assert (
        members["Persona 029"].weight
        == PlanPersona.objects.get(pk=members["Persona 029"].pk).weight
    )


def test_a_whatif_answer_comes_without_indentation_and_reads_as_the_page(client, large):
    """Sent at every move of the slider, the answer leaves out the templates'
    indentation; its summary holds the same words and figures as the page
    shows for the same values."""
    params = {"present_share": "60"}
    answer = _html(client, large.draft.get_absolute_url(), params, HX)
    page = _html(client, large.draft.get_absolute_url(), params)

    def summary(html: str) -> str:
        part = html.split('<div id="allocation-summary"')[1].split('<div id="allocation-rollups"')[
            0
        ]
        part = part.split('<section class="card card-tight warnings"')[0]
        return " ".join(part.split(">", 1)[1].split())

    assert "\n " not in answer and "\n\n" not in answer
    assert "Trying <strong>60 / 40</strong>" in summary(answer)
    assert summary(answer) == summary(page)


def test_personas_whose_fields_are_not_sent_keep_their_saved_values(client, large):
    """The page sends the fields of the personas it shows: the what-if and the
    saved ratios keep the others' weights and shares."""
    members = list(large.draft.members.order_by("persona__name"))
    last = members[-1]
    last.present_share_override = 90
    last.save(update_fields=["present_share_override"])
    shown = {f"weight_{m.pk}": "1" for m in members[:PERSONAS_SHOWN]}
    response = client.post(
        reverse("planning:plan_save_whatif", args=[large.workspace.slug, large.draft.pk]),
        {"present_share": "75", "version": large.draft.version, **shown},
    )
    assert response.status_code == 303
    last.refresh_from_db()
    assert last.present_share_override == 90 and last.weight == members[-1].weight
    assert {m.weight for m in large.draft.members.order_by("persona__name")[:PERSONAS_SHOWN]} == {1}


def test_a_weight_sent_empty_is_an_error(client, large):
    member = large.draft.members.order_by("persona__name").first()
    response = client.get(
        large.draft.get_absolute_url(), {"present_share": "70", f"weight_{member.pk}": ""}, HX
    )
    assert response.status_code == 422
    assert "This field is required" in response.content.decode()


def _owner_of_scale(client, size: int):
    """A scale workspace of ``size`` personas, ``client`` signed in as its owner."""
    built = build_scale_workspace(size, slug=f"size-{size}")
    Membership.objects.filter(user=built.owner).update(role=Role.OWNER)
    client.force_login(built.owner)
    return built


@pytest.mark.parametrize("size", [6, 30])
def test_the_plan_pages_answer_in_a_fixed_number_of_queries(
    client, size, django_assert_max_num_queries
):
    built = _owner_of_scale(client, size)
    for url, params, headers in [
        (built.draft.get_absolute_url(), None, {}),
        (built.approved.get_absolute_url(), None, {}),
        (built.draft.get_absolute_url(), {"present_share": "65", "expand": "1"}, HX),
        (built.draft.get_absolute_url(), {"row": "2", "expand": "2"}, HX),
    ]:
        with django_assert_max_num_queries(12):
            assert client.get(url, params, headers=headers).status_code == 200


@pytest.mark.parametrize("size", [6, 30])
def test_a_whatif_reads_the_plan_once_while_nothing_changes(
    client, size, django_assert_num_queries
):
    url = _owner_of_scale(client, size).draft.get_absolute_url()
    # The first what-if reads the plan: session, user, savepoint, membership, the
    # plan, its members, their core channels, the funded experiments, the
    # actuals, release (not the review steps nor the effort form's choices: its
    # answer shows neither).
    with django_assert_num_queries(10):
        first = client.get(url, {"present_share": "65"}, headers=HX)
    # The next moves of the slider recompute every figure from what was read.
    with django_assert_num_queries(6):
        again = client.get(url, {"present_share": "65"}, headers=HX)
    assert again.content == first.content
    moved = client.get(url, {"present_share": "80"}, headers=HX).content.decode()
    assert 'value="80"' in moved or "80 / 20" in moved

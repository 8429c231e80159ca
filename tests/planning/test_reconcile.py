"""Tables that reconcile and percentages that add to 100: per channel and per
experiment, with the effort no channel or experiment holds, to the plan's total."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planning.actuals import actual_totals
from planning.compare import compare_plans
from planning.selectors import LineSums, plan_view, with_actuals
from tests.factories import (
    ActualFactory,
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    PersonaFactory,
    PlanFactory,
)


class Rollback(Exception):
    pass


persona_shapes = st.lists(
    st.fixed_dictionaries(
        {
            "priority": st.integers(1, 5),
            "own": st.one_of(st.none(), st.integers(0, 100)),
            "channels": st.lists(st.integers(0, 3), max_size=3),  # shares on channels 0–3
            "experiment": st.sampled_from([None, "on a channel", "without a channel"]),
        }
    ),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(shapes=persona_shapes, total=st.decimals(0, 99999, places=2), headline=st.integers(0, 100))
def test_total_rows_equal_the_plan_total_for_random_plans(workspace, shapes, total, headline):
    try:
        with transaction.atomic():
            channels = [ChannelFactory(workspace=workspace) for _ in range(4)]
            people = []
            for i, shape in enumerate(shapes):
                persona = PersonaFactory(
                    workspace=workspace,
                    priority=shape["priority"],
                    present_share_override=shape["own"],
                )
                for c, share in enumerate(shape["channels"]):
                    ChannelUsageFactory(persona=persona, channel=channels[(c + i) % 4], share=share)
                if shape["experiment"]:
                    on = channels[i % 4] if shape["experiment"] == "on a channel" else None
                    ExperimentFactory(
                        workspace=workspace,
                        status="running",
                        personas=[persona],
                        kind="channel" if on else "message",
                        channel=on,
                    )
                people.append(persona)
            plan = PlanFactory(
                workspace=workspace, personas=people, total_effort=total, present_share=headline
            )
            view = with_actuals(plan_view(plan), actual_totals(plan))
            assert not view.error
            table = view.channel_table
            assert table.total.total == sum((r.total for r in table.rows), Decimal(0)) == total
            assert (table.total.present, table.total.future) == (view.present, view.future)
            experiments = view.experiment_table
            assert experiments.total.future == view.future
            if total:
                assert sum(r.of_plan for r in table.rows) == 100 == table.total.of_plan
                assert sum(line.of_plan for _, line in view.lines) == 100
                assert sum(row.of_plan for row in view.personas) == 100
                for row in view.personas:
                    if row.amount:
                        assert sum(line.of_persona for line in row.lines) == 100
            raise Rollback
    except Rollback:
        pass


def _lines_of(view) -> list:
    return [
        (row.name, line.kind, line.label, line.amount, line.of_persona, line.of_plan, line.actual)
        for row, line in view.lines
    ]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(shapes=persona_shapes, total=st.decimals(1, 99999, places=2))
def test_a_live_plan_reads_the_same_whether_its_lines_are_built_first_or_last(
    workspace, shapes, total
):
    """A live plan builds a persona's lines only when a page reads them; the
    tables, warnings and gaps it gives without them are what the lines add up to."""
    try:
        with transaction.atomic():
            channels = [ChannelFactory(workspace=workspace) for _ in range(4)]
            people, tried = [], []
            for i, shape in enumerate(shapes):
                persona = PersonaFactory(workspace=workspace, priority=shape["priority"])
                for c, share in enumerate(shape["channels"]):
                    ChannelUsageFactory(persona=persona, channel=channels[(c + i) % 4], share=share)
                if shape["experiment"]:
                    on = channels[i % 4] if shape["experiment"] == "on a channel" else None
                    tried.append((ExperimentFactory(
                        workspace=workspace, status="running", personas=[persona],
                        kind="channel" if on else "message", channel=on,
                    ), persona))  # fmt: skip
                people.append(persona)
            plan = PlanFactory(workspace=workspace, personas=people, total_effort=total)
            ActualFactory(plan=plan, channel=channels[0], persona=people[0])
            for experiment, persona in tried:
                ActualFactory(plan=plan, experiment=experiment, persona=persona)

            first = plan_view(plan)
            for row in first.personas:
                assert row.line_count == len(row.lines)  # built before the actuals
            first = with_actuals(first, actual_totals(plan))
            last = with_actuals(plan_view(plan), actual_totals(plan))
            tables = [last.channel_table, last.experiment_table, last.warnings]
            gaps = [row.gaps for row in last.personas]
            on_channels = [row.channel_lines() for row in last.personas]
            assert _lines_of(last) == _lines_of(first)  # built after the actuals
            assert tables == [first.channel_table, first.experiment_table, first.warnings]
            assert gaps == [
                {line.kind: line.amount for line in row.lines if line.kind.is_gap}
                for row in last.personas
            ]
            assert on_channels == [
                [(x.channel_id, x.label, x.amount) for x in row.lines if x.kind == "channel"]
                for row in last.personas
            ]
            lines = [line for _, line in last.lines]
            loose = {x.label for x in lines if x.kind == "experiment" and not x.channel_label}
            assert last.line_sums == LineSums(
                loose,
                sum((x.amount for x in lines if x.kind == "experiment" and x.label in loose), 0),
                sum((x.amount for x in lines if x.kind == "unassigned"), 0),
                sum((x.amount for x in lines if x.kind == "unplaced"), 0),
            )
            assert last.experiment_channels == {
                line.experiment_id: line.channel_id
                for _, line in last.lines
                if line.kind == "experiment" and line.channel_id
            }
            raise Rollback
    except Rollback:
        pass


@pytest.fixture
def mixed_plan(workspace):
    """1,000 h at 80 / 20 over Ana, Ben (weight 1 each) and Cy (weight 2): 250,
    250 and 500. Ana: core channel Webinars, experiment A on Webinars. Ben: no
    channel data, experiment B without a channel, 30 h recorded on it. Cy:
    Webinars, no experiment."""
    webinars = ChannelFactory(workspace=workspace, name="Webinars")
    ana = PersonaFactory(workspace=workspace, name="Ana", priority=1)
    ben = PersonaFactory(workspace=workspace, name="Ben", priority=1)
    cy = PersonaFactory(workspace=workspace, name="Cy", priority=2)
    ChannelUsageFactory(persona=ana, channel=webinars)
    ChannelUsageFactory(persona=cy, channel=webinars)
    ExperimentFactory(
        workspace=workspace,
        title="A",
        status="running",
        kind="channel",
        channel=webinars,
        personas=[ana],
    )
    b = ExperimentFactory(
        workspace=workspace,
        title="B",
        status="running",
        kind="message",
        channel=None,
        personas=[ben],
    )
    plan = PlanFactory(
        workspace=workspace, name="Q1", personas=[ana, ben, cy], total_effort=1000, present_share=80
    )
    ActualFactory(plan=plan, experiment=b, amount=Decimal(30))
    return plan  # fmt: skip


def test_the_channel_table_holds_what_no_channel_does(mixed_plan):
    """Ana 250: 200 Webinars, 50 A (on Webinars). Ben 250: 200 unplaced, 50 B (no
    channel). Cy 500: 400 Webinars, 100 unassigned. Webinars 600 + 50 = 650."""
    view = with_actuals(plan_view(mixed_plan), actual_totals(mixed_plan))
    table = view.channel_table
    assert [(r.label, r.present, r.future, r.of_plan, r.actual) for r in table.rows] == [
        ("Webinars", Decimal("600.00"), Decimal("50.00"), Decimal("65.0"), Decimal(0)),
        ("Experiments without a channel", Decimal(0), Decimal("50.00"), Decimal("5.0"), Decimal(30)),
        ("Unassigned exploration", Decimal(0), Decimal("100.00"), Decimal("10.0"), None),
        ("Unplaced present effort", Decimal("200.00"), Decimal(0), Decimal("20.0"), None),
    ]  # fmt: skip
    assert (table.total.total, table.total.of_plan, table.total.actual) == (1000, 100, 30)
    experiments = view.experiment_table
    assert [(r.label, r.future, r.of_plan) for r in experiments.rows] == [
        ("A", Decimal("50.00"), Decimal("5.0")),
        ("B", Decimal("50.00"), Decimal("5.0")),
        ("Unassigned exploration", Decimal("100.00"), Decimal("10.0")),
    ]
    assert (experiments.total.future, experiments.total.of_plan) == (view.future, Decimal("20.0"))


def test_page_dashboard_and_export_show_the_same_reconciled_table(reviewer_client, mixed_plan):
    slug = mixed_plan.workspace.slug
    page = reviewer_client.get(mixed_plan.get_absolute_url()).content.decode()
    dashboard = reviewer_client.get(
        reverse("planning:dashboard", args=[slug]), {"plan": mixed_plan.pk}
    ).content.decode()
    for html in (page, dashboard):
        assert "Experiments without a channel" in html and "Unplaced present effort" in html
        assert (
            '<th scope="row">Total</th><td class="num">800.00</td><td class="num">200.00</td><td class="num">100.0%</td>'
            in html
        )
    response = reviewer_client.get(
        reverse("planning:plan_export", args=[slug, mixed_plan.pk, "xlsx"])
    )
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content))["Channels"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[-1][0] == "Total" and Decimal(str(rows[-1][3])) == 1000
    assert sum(Decimal(str(r[3])) for r in rows[:-1]) == 1000
    assert sum(Decimal(str(r[4])) for r in rows[:-1]) == 100  # fmt: skip


def test_csv_percentages_add_to_100(reviewer_client, mixed_plan):
    slug = mixed_plan.workspace.slug
    response = reviewer_client.get(
        reverse("planning:plan_export", args=[slug, mixed_plan.pk, "csv"])
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:-1]
    assert sum(Decimal(r[6]) for r in rows) == 100


def test_compare_in_points(workspace, reviewer_client):
    """Q1 1,000 h at 80 / 20 over Ana alone; Q2 2,000 h at 70 / 30 over Ana and
    Ben (weights 1 : 1). Where they are: 800 → 1,400 hours (+600) yet 80.0% →
    70.0% of the plan: -10.0 points. Ana's share of the plan: 100.0% → 50.0%."""
    webinars = ChannelFactory(workspace=workspace, name="Webinars")
    ana = PersonaFactory(workspace=workspace, name="Ana", priority=1)
    ben = PersonaFactory(workspace=workspace, name="Ben", priority=1)
    for persona in (ana, ben):
        ChannelUsageFactory(persona=persona, channel=webinars)
    before = PlanFactory(
        workspace=workspace, name="Q1", personas=[ana], total_effort=1000, present_share=80
    )
    after = PlanFactory(
        workspace=workspace, name="Q2", personas=[ana, ben], total_effort=2000, present_share=70
    )
    c = compare_plans(plan_view(before), plan_view(after))
    present = c.totals[1]
    assert (present.change, present.before_share, present.after_share, present.points) == (
        Decimal("600.00"),
        Decimal("80.0"),
        Decimal("70.0"),
        Decimal("-10.0"),
    )
    assert c.split.points == Decimal("-10.0")
    ana_delta = next(p for p in c.personas if p.name == "Ana")
    assert (
        ana_delta.amount.before_share,
        ana_delta.amount.after_share,
        ana_delta.amount.points,
    ) == (
        Decimal("100.0"),
        Decimal("50.0"),
        Decimal("-50.0"),
    )
    channel = next(d for d in c.channels if d.label == "Webinars")
    assert (channel.before_share, channel.after_share, channel.points) == (
        Decimal("80.0"),
        Decimal("70.0"),
        Decimal("-10.0"),
    )
    html = reviewer_client.get(
        reverse("planning:plan_compare", args=[workspace.slug, after.pk]), {"other": before.pk}
    ).content.decode()
    assert "80.00 / 20.00" in html and "70.00 / 30.00" in html
    assert "-10.0 points where they are" in html  # the split row's change is filled
    assert "-10.0 pts" in html and "+600.00" in html  # fmt: skip

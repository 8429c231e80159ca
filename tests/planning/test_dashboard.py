from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from channels.models import Channel, ChannelUsage
from experiments.models import Experiment, ExperimentTarget
from personas.models import Persona
from planning.actuals import actual_totals
from planning.dashboard import choose_plan
from planning.models import PlanPersona
from planning.selectors import plan_view, with_actuals
from tests.factories import (
    ActualFactory,
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    PersonaFactory,
    PlanFactory,
)

TODAY = timezone.localdate()


def dashboard_url(workspace, **params) -> str:
    from urllib.parse import urlencode

    return reverse("planning:dashboard", args=[workspace.slug]) + (
        f"?{urlencode(params)}" if params else ""
    )


def test_drift_from_lines_and_actuals_worked_by_hand(workspace):
    """1,000 h at 80 / 20 over two personas (weights 3 and 1). Planned: 800 present,
    200 future. Actuals: 700 on channels + 100 on an experiment = 800, split
    87.5 / 12.5: 7.5 points above the 80 target."""
    a, b = (
        PersonaFactory(workspace=workspace, priority=3),
        PersonaFactory(workspace=workspace, priority=1),
    )
    channel = ChannelFactory(workspace=workspace)
    for persona in (a, b):
        ChannelUsageFactory(persona=persona, channel=channel)
    experiment = ExperimentFactory(workspace=workspace, status="running", personas=[a, b])
    plan = PlanFactory(workspace=workspace, personas=[a, b], total_effort=Decimal("1000"))
    ActualFactory(plan=plan, channel=channel, persona=a, amount=Decimal("500"))
    ActualFactory(plan=plan, channel=channel, amount=Decimal("200"))
    ActualFactory(plan=plan, experiment=experiment, persona=b, amount=Decimal("100"))
    view = with_actuals(plan_view(plan), actual_totals(plan))
    assert (view.present, view.future) == (Decimal("800.00"), Decimal("200.00"))
    assert view.planned_present_share == 80 and view.planned_drift == 0
    assert (view.actual_present, view.actual_future) == (Decimal(700), Decimal(100))
    assert view.actual_share == 87.5 and view.drift == 7.5
    assert view.remaining == Decimal("200.00")
    rows = {row.persona_id: row for row in view.personas}
    assert (rows[a.pk].actual_present, rows[a.pk].actual_future) == (500, 0)
    assert (rows[b.pk].actual_present, rows[b.pk].actual_future) == (0, 100)
    a_line = next(line for line in rows[a.pk].lines if line.kind == "channel")
    assert (a_line.amount, a_line.actual, a_line.remaining) == (
        Decimal("600.00"),
        500,
        Decimal("100.00"),
    )
    channel_rollup = view.channels[0]
    assert channel_rollup.actual == 700  # persona-less actuals count for the channel too


def test_plan_selector_prefers_the_plan_covering_today(workspace):
    assert choose_plan(workspace, None) == (None, [])
    old = PlanFactory(
        workspace=workspace,
        name="Old",
        start=TODAY - timedelta(days=200),
        end=TODAY - timedelta(days=100),
        status="approved",
    )
    later = PlanFactory(
        workspace=workspace,
        name="Later draft",
        start=TODAY + timedelta(days=100),
        end=TODAY + timedelta(days=190),
    )
    assert choose_plan(workspace, None)[0] == old  # no plan covers today: the latest approved
    old.status = "draft"
    old.save()
    assert choose_plan(workspace, None)[0] == later  # nothing approved: the latest
    current = PlanFactory(
        workspace=workspace,
        name="Current",
        start=TODAY - timedelta(days=5),
        end=TODAY + timedelta(days=5),
    )
    current_approved = PlanFactory(
        workspace=workspace,
        name="Current approved",
        start=TODAY - timedelta(days=30),
        end=TODAY + timedelta(days=30),
        status="approved",
    )
    assert choose_plan(workspace, None)[0] == current_approved  # covering today, approved first
    assert choose_plan(workspace, str(later.pk))[0] == later  # asked for
    assert choose_plan(workspace, "junk")[0] == current_approved
    assert current in choose_plan(workspace, None)[1]


def test_empty_state_says_what_to_do(marketer_client, reviewer_client, workspace):
    html = marketer_client.get(dashboard_url(workspace)).content.decode()
    assert (
        "Getting started" in html and reverse("planning:plan_create", args=[workspace.slug]) in html
    )
    html = reviewer_client.get(dashboard_url(workspace)).content.decode()
    assert "When marketers draft and submit a plan" in html


def test_dashboard_answers_the_three_questions(reviewer_client, workspace):
    farah = PersonaFactory(
        workspace=workspace, name="Founder Farah", adoption_stage="early_adopter"
    )
    podcasts = ChannelFactory(workspace=workspace, name="Podcasts")
    ChannelUsageFactory(persona=farah, channel=podcasts, share=75)
    ChannelUsageFactory(
        persona=farah,
        channel=ChannelFactory(workspace=workspace, name="TikTok"),
        share=25,
        stage="emerging",
        trend="rising",
    )
    ExperimentFactory(
        workspace=workspace, status="running", personas=[farah], title="TikTok explainers"
    )
    plan = PlanFactory(
        workspace=workspace,
        name="Q1",
        personas=[farah],
        total_effort=1000,
        start=TODAY,
        end=TODAY + timedelta(days=60),
    )
    ActualFactory(plan=plan, channel=podcasts, amount=Decimal("90"), date=TODAY)
    ActualFactory(plan=plan, experiment=Experiment.objects.get(), amount=Decimal("10"), date=TODAY)
    html = reviewer_client.get(dashboard_url(workspace)).content.decode()
    assert "Are we keeping the split?" in html
    # 90 / 10 recorded against 80 / 20 allocated, which is the plan's headline too
    assert (
        "Actual 90 / 10 against the allocated 80 / 20: 10.0 points more on where they are "
        "— <strong>beyond the 5-point tolerance</strong>" in html
    )
    assert "Plan 80 / 20 · allocated 80 / 20: every persona follows the plan&#x27;s ratio" in html
    assert "Founder Farah" in html and "Early adopter" in html
    assert "Podcasts" in html and "Experiments pipeline" in html
    assert "TikTok already holds 25%" in html
    assert "TikTok is rising for Founder Farah" not in html  # "promote it" says it already
    assert (
        "<title>Present / future split: the plan's headline, allocated and actual" in html
    )  # the chart says what it shows
    assert "<summary>Figures</summary>" in html


def test_choosing_another_plan(reviewer_client, workspace):
    persona = PersonaFactory(workspace=workspace)
    PlanFactory(workspace=workspace, name="First plan", personas=[persona])
    second = PlanFactory(
        workspace=workspace, name="Second plan", personas=[persona], start=TODAY, end=TODAY
    )
    html = reviewer_client.get(dashboard_url(workspace, plan=second.pk)).content.decode()
    assert "<h1>Second plan</h1>" in html


def test_reviewer_sees_everything_and_changes_nothing(reviewer_client, workspace):
    persona = PersonaFactory(workspace=workspace)
    plan = PlanFactory(workspace=workspace, personas=[persona])
    html = reviewer_client.get(plan.get_absolute_url()).content.decode()
    import_url = reverse("imports:upload", args=[workspace.slug, "actuals"]) + f"?plan={plan.pk}"
    assert "Record effort spent" not in html and "/imports/actuals/" not in html
    assert reviewer_client.get(import_url).status_code == 403
    assert reviewer_client.post(import_url).status_code == 403


def _large(workspace, personas: int, channels: int, per_persona: int, experiments: int) -> None:
    people = Persona.objects.bulk_create(
        Persona(workspace=workspace, name=f"P{i:04}", priority=i % 5 + 1) for i in range(personas)
    )
    catalog = Channel.objects.bulk_create(
        Channel(workspace=workspace, name=f"C{workspace.pk}-{i:03}-{len(people)}")
        for i in range(channels)
    )
    ChannelUsage.objects.bulk_create(
        ChannelUsage(
            workspace=workspace, persona=p, channel=catalog[(i + k) % channels], share=Decimal(k + 1),
            trend=["rising", "steady", "declining"][k % 3], stage="emerging" if k == 0 else "core",
        )
        for i, p in enumerate(people) for k in range(per_persona)
    )  # fmt: skip
    made = Experiment.objects.bulk_create(
        Experiment(workspace=workspace, title=f"E{len(people)}-{i}", status=["idea", "planned", "running", "concluded"][i % 4],
                   outcome="adopt" if i % 4 == 3 else "", channel=catalog[i % channels])
        for i in range(experiments)
    )  # fmt: skip
    ExperimentTarget.objects.bulk_create(
        ExperimentTarget(workspace=workspace, experiment=e, persona=people[i % personas])
        for i, e in enumerate(made)
    )
    plan = PlanFactory(
        workspace=workspace,
        start=TODAY - timedelta(days=10),
        end=TODAY + timedelta(days=80),
        status="draft",
    )
    PlanPersona.objects.bulk_create(
        PlanPersona(workspace=workspace, plan=plan, persona=p, weight=p.priority) for p in people
    )
    ActualFactory(plan=plan, channel=catalog[0], amount=50, date=TODAY)


def test_dashboard_query_count_is_fixed(reviewer_client, workspace, django_assert_num_queries):
    # session, user, savepoint, the user's memberships, plans, active usages (the
    # plan's core channels among them), the experiments with their latest
    # results and targets (the pipeline, those meeting target, the plan's funded
    # ones, what counts as explored), plan members with personas, actuals,
    # active personas with evidence, the pace (the mixes' observations, the
    # approved plans' lines and effort: one read), release.
    _large(workspace, personas=5, channels=6, per_persona=3, experiments=8)
    with django_assert_num_queries(12):
        reviewer_client.get(dashboard_url(workspace))


def test_dashboard_query_count_on_a_large_workspace(
    reviewer_client, workspace, django_assert_num_queries
):
    import time

    _large(workspace, personas=300, channels=60, per_persona=10, experiments=500)
    with django_assert_num_queries(12):
        start = time.perf_counter()
        response = reviewer_client.get(dashboard_url(workspace))
        elapsed = time.perf_counter() - start
    assert response.status_code == 200
    html = response.content.decode()
    # Planned and actual split of the ten personas with the most effort; the
    # rest one link away.
    assert html.count('class="split-cell"') == 20
    assert "Show all 300 personas" in html
    print(f"dashboard, 300 personas, 3,000 usages, 500 experiments: {elapsed * 1000:.0f} ms")

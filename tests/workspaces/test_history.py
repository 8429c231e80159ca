"""History pages of every versioned object, the activity feed, and undo."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from channels import services as channel_services
from experiments import services as experiment_services
from personas import services as persona_services
from planning import services as plan_services
from tests.factories import (
    ActualFactory,
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    PersonaFactory,
    PlanFactory,
)
from workspaces.history import rebuild_activity
from workspaces.models import Activity
from workspaces.versioning import save_versioned, set_archived


def _set_usage(usage, user, **values):
    stored = channel_services.usage_values(usage)
    for name, value in values.items():
        setattr(usage, name, value)
    channel_services.usage_update(
        usage=usage, stored=stored, expected_version=usage.version, user=user, fields=list(values)
    )


def _page(client, name, *args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def _row(label, old, new):
    return (
        f'<th scope="row">{label}</th><td class="pre-line old-value">{old}</td>'
        f'<td class="pre-line">{new}</td>'
    )


@pytest.fixture
def olivia(workspace):
    return PersonaFactory(workspace=workspace, name="Olivia")


@pytest.fixture
def tiktok(workspace):
    return ChannelFactory(workspace=workspace, name="TikTok")


def test_persona_history_shows_her_mix_changes_and_a_graduation(
    reviewer_client, marketer, workspace, olivia, tiktok
):
    usage = ChannelUsageFactory(persona=olivia, channel=tiktok, share=5, stage="emerging")
    _set_usage(usage, marketer, trend="rising", share=Decimal("8"))
    experiment = ExperimentFactory(
        workspace=workspace,
        kind="channel",
        channel=tiktok,
        status="concluded",
        outcome="adopt",
        personas=[olivia],
    )
    experiment_services.experiment_graduate(
        experiment=experiment, shares={olivia.pk: Decimal("30")}, user=marketer
    )
    html = _page(reviewer_client, "personas:history", workspace.slug, olivia.pk)
    usage_url = reverse("channels:usage_history", args=[workspace.slug, usage.pk])
    assert (
        f'Bob Marketer</strong> changed share, trend of the channel usage <a href="{usage_url}">'
        "Olivia on TikTok</a>" in html
    )
    assert _row("Trend", "Steady", "Rising") in html and _row("Share", "5", "8") in html
    assert f"Graduated from the experiment “{experiment.title}”" in html
    assert _row("Share", "8", "30") in html and _row("Stage", "Emerging", "Core") in html
    assert _row("Evidence", "Survey", "Experiment") in html
    page = _page(reviewer_client, "experiments:history", workspace.slug, experiment.pk)
    assert "Graduated into its personas&#x27; channel mixes" in page and "changed graduated" in page


def test_usage_history_shows_share_stage_trend_and_evidence_in_words(
    marketer_client, marketer, workspace, olivia, tiktok
):
    usage = ChannelUsageFactory(persona=olivia, channel=tiktok, share=5, stage="emerging")
    _set_usage(usage, marketer, share=Decimal("12.5"), stage="core")
    _set_usage(usage, marketer, trend="declining", evidence="interviews")
    html = _page(marketer_client, "channels:usage_history", workspace.slug, usage.pk)
    assert "changed share, stage <time" in html and "changed trend, evidence <time" in html
    assert _row("Share", "5", "12.5") in html and _row("Stage", "Emerging", "Core") in html
    assert _row("Trend", "Steady", "Declining") in html
    assert _row("Evidence", "Survey", "Interviews") in html


def test_channel_history(marketer_client, marketer, workspace, tiktok):
    tiktok.name, tiktok._history_user = "TikTok Shop", marketer
    tiktok.save()
    html = _page(marketer_client, "channels:channel_history", workspace.slug, tiktok.pk)
    assert "Bob Marketer</strong> changed name" in html and _row("Name", "TikTok", "TikTok Shop")


def test_experiment_history_shows_edits_results_and_decisions(
    reviewer_client, marketer, workspace, olivia
):
    experiment = ExperimentFactory(workspace=workspace, status="running", personas=[olivia])
    experiment.target = Decimal("250")
    save_versioned(experiment, expected_version=1, user=marketer, update_fields=["target"])
    from experiments.models import ExperimentResult

    experiment_services.result_add(
        experiment=experiment,
        result=ExperimentResult(date=date(2026, 11, 2), value=Decimal("42")),
        user=marketer,
    )
    experiment.outcome, experiment.learnings = "adopt", "Works for Olivia."
    experiment_services.experiment_conclude(
        experiment=experiment, expected_version=experiment.version, user=marketer
    )
    html = _page(reviewer_client, "experiments:history", workspace.slug, experiment.pk)
    assert _row("Target", "100", "250") in html
    assert "created the result <strong>42 on 2 Nov 2026</strong>" in html
    assert _row("Status", "Running", "Concluded") in html
    assert _row("Outcome", "—", "Adopt") in html
    assert _row("Learnings", "—", "Works for Olivia.") in html


def test_plan_history_shows_members_ratios_weights_and_review_steps(
    reviewer_client, marketer, workspace, olivia
):
    plan = PlanFactory(workspace=workspace, personas=[olivia])
    plan.present_share = 70
    save_versioned(plan, expected_version=1, user=marketer, update_fields=["present_share"])
    member = plan.members.get()
    member.weight, member._history_user = Decimal("4"), marketer
    member.save()
    plan_services.plan_submit(plan=plan, expected_version=plan.version, user=marketer)
    html = _page(reviewer_client, "planning:plan_history", workspace.slug, plan.pk)
    assert _row("Present share", "—", "70") in html
    assert "changed weight of the plan member <strong>Olivia in" in html
    assert _row("Weight", "3", "4") in html
    assert _row("Status", "Draft", "In review") in html


def test_actual_history(marketer_client, marketer, workspace, tiktok):
    actual = ActualFactory(plan=PlanFactory(workspace=workspace), channel=tiktok)
    actual.amount, actual.note = Decimal("12.50"), "Two more posts"
    save_versioned(actual, expected_version=1, user=marketer, update_fields=["amount", "note"])
    html = _page(marketer_client, "planning:actual_history", workspace.slug, actual.pk)
    assert _row("Amount", "10", "12.5") in html and _row("Note", "—", "Two more posts") in html


def test_deleted_objects_keep_their_history_in_the_feed(owner_client, owner, workspace, tiktok):
    channel_services.channel_delete(channel=tiktok, user=owner)
    html = _page(owner_client, "activity:feed", workspace.slug)
    assert "Alice Owner</strong> deleted the channel <strong>TikTok</strong>" in html


# --- The feed -----------------------------------------------------------------


def _edits(persona, user, n):
    for _ in range(n):
        persona.goals = f"Goal {persona.version}"
        persona_services.persona_update(
            persona=persona, expected_version=persona.version, user=user, fields=["goals"]
        )


def test_feed_filters_by_kind_and_person_and_pages(
    reviewer_client, marketer, owner, workspace, olivia, tiktok
):
    _edits(olivia, marketer, 30)
    tiktok.name, tiktok._history_user = "TikTok Shop", owner
    tiktok.save()
    url = reverse("activity:feed", args=[workspace.slug])
    html = reviewer_client.get(url).content.decode()
    assert "Page 1 of 2 · 33 changes" in html  # 2 created + 31 changes
    assert "Alice Owner</strong> changed name of the channel" in html
    older = reviewer_client.get(url + "?page=2").content.decode()
    assert "created the persona" in older and "changed name" not in older
    only_channels = reviewer_client.get(url + "?kind=channel").content.decode()
    assert "changed name of the channel" in only_channels and "goals" not in only_channels
    bob = reviewer_client.get(url + f"?person={marketer.pk}").content.decode()
    assert "Bob Marketer</strong> changed goals" in bob and "Alice Owner</strong>" not in bob
    # A filter value not offered is ignored, not an error.
    assert reviewer_client.get(url + "?kind=nothing&person=x&period=ever").status_code == 200


def test_feed_of_the_week_leaves_out_older_changes(reviewer_client, marketer, workspace, olivia):
    from datetime import timedelta

    from django.utils import timezone

    _edits(olivia, marketer, 1)
    Activity.objects.filter(action="created").update(at=timezone.now() - timedelta(days=20))
    html = reviewer_client.get(
        reverse("activity:feed", args=[workspace.slug]) + "?period=week"
    ).content.decode()
    assert "changed goals" in html and "created the persona" not in html


def test_feed_and_history_query_counts_are_fixed(
    reviewer_client, marketer, workspace, olivia, tiktok, django_assert_num_queries
):
    usage = ChannelUsageFactory(persona=olivia, channel=tiktok)
    feed = reverse("activity:feed", args=[workspace.slug])
    history = reverse("personas:history", args=[workspace.slug, olivia.pk])
    # session, user, savepoint, membership, members for the filter, count, page,
    # release (the memberships read once serve the switcher).
    with django_assert_num_queries(8):
        reviewer_client.get(feed + "?kind=persona")
    with django_assert_num_queries(8):
        reviewer_client.get(history)
    _edits(olivia, marketer, 60)
    for share in range(2, 40):
        _set_usage(usage, marketer, share=Decimal(share))
    with django_assert_num_queries(8):
        response = reviewer_client.get(feed + "?kind=persona")
    assert response.content.decode().count("changed goals") == 25
    with django_assert_num_queries(8):
        response = reviewer_client.get(history)
    assert response.content.decode().count("changed share") == 25


# --- Undo -----------------------------------------------------------------------


def _undo(client, activity, version=None, on="own"):
    url = reverse("activity:undo", args=[activity.workspace.slug, activity.pk])
    return client.post(url, {"version": version or activity.version, "on": on})


def test_undo_puts_a_persona_section_back_as_a_new_version(
    marketer_client, owner, marketer, workspace, olivia
):
    olivia.goals, olivia.challenges = "Grow", "Budget"
    persona_services.persona_update(
        persona=olivia, expected_version=1, user=owner, fields=["goals", "challenges"]
    )
    olivia.goals = "Grow fast"
    persona_services.persona_update(
        persona=olivia, expected_version=2, user=owner, fields=["goals"]
    )
    olivia.summary = "Another section"
    persona_services.persona_update(
        persona=olivia, expected_version=3, user=owner, fields=["summary"]
    )
    second = Activity.objects.get(version=3)
    response = _undo(marketer_client, second)
    assert response.status_code == 303
    assert response["Location"] == reverse("personas:history", args=[workspace.slug, olivia.pk])
    olivia.refresh_from_db()
    # The whole goals section as before that change; another section untouched.
    assert (olivia.goals, olivia.challenges, olivia.summary) == (
        "Grow",
        "Budget",
        "Another section",
    )
    assert olivia.version == 5 and olivia.updated_by == marketer
    html = _page(marketer_client, "personas:history", workspace.slug, olivia.pk)
    assert "Bob Marketer</strong> changed goals" in html
    assert "Undid the change of" in html and _row("Goals", "Grow fast", "Grow") in html


def test_undo_is_refused_with_409_when_the_fields_changed_since(
    marketer_client, owner, workspace, olivia
):
    olivia.goals = "Grow"
    persona_services.persona_update(
        persona=olivia, expected_version=1, user=owner, fields=["goals"]
    )
    first = Activity.objects.get(version=2)
    olivia.goals = "Grow faster"
    persona_services.persona_update(
        persona=olivia, expected_version=2, user=owner, fields=["goals"]
    )
    response = _undo(marketer_client, first)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Not undone: Alice Owner changed Olivia" in html and "Grow faster" in html
    olivia.refresh_from_db()
    assert olivia.goals == "Grow faster" and olivia.version == 3


def test_undo_of_a_usage_keeps_an_observation_and_returns_to_the_persona(
    marketer_client, marketer, workspace, olivia, tiktok
):
    usage = ChannelUsageFactory(persona=olivia, channel=tiktok, share=5, stage="emerging")
    _set_usage(usage, marketer, stage="core", share=Decimal("20"))
    change = Activity.objects.get(kind="usage", action="changed")
    response = _undo(marketer_client, change, on="parent")
    assert response["Location"] == reverse("personas:history", args=[workspace.slug, olivia.pk])
    usage.refresh_from_db()
    assert (usage.stage, usage.share) == ("emerging", Decimal("5"))
    assert usage.observations.count() == 2


def test_undo_of_experiment_fields(marketer_client, marketer, workspace, olivia):
    experiment = ExperimentFactory(workspace=workspace, personas=[olivia])
    experiment.hypothesis, experiment.target = "More sign-ups", Decimal("300")
    save_versioned(
        experiment, expected_version=1, user=marketer, update_fields=["hypothesis", "target"]
    )
    assert (
        _undo(marketer_client, Activity.objects.get(kind="experiment", version=2)).status_code
        == 303
    )
    experiment.refresh_from_db()
    assert (experiment.hypothesis, experiment.target, experiment.version) == ("", 100, 3)


def test_reviewers_cannot_undo_and_see_no_button(reviewer_client, owner, workspace, olivia):
    olivia.goals = "Grow"
    persona_services.persona_update(
        persona=olivia, expected_version=1, user=owner, fields=["goals"]
    )
    assert "Undo this change" not in _page(
        reviewer_client, "personas:history", workspace.slug, olivia.pk
    )
    assert _undo(reviewer_client, Activity.objects.get(version=2)).status_code == 403


def test_a_change_with_nothing_to_put_back_is_not_undone(marketer_client, owner, workspace, olivia):
    set_archived(olivia, archived=True, user=owner)
    archived = Activity.objects.get(action="changed")
    assert "Undo this change" not in _page(
        marketer_client, "personas:history", workspace.slug, olivia.pk
    )
    assert _undo(marketer_client, archived).status_code == 409


def test_rebuilt_activity_reads_the_same(marketer, workspace, olivia, tiktok):
    usage = ChannelUsageFactory(persona=olivia, channel=tiktok, share=5)
    _set_usage(usage, marketer, stage="emerging")
    _edits(olivia, marketer, 3)
    fields = ["kind", "object_id", "object_name", "action", "changes", "user", "version"]
    before = list(Activity.objects.order_by("at", "pk").values(*fields))
    assert rebuild_activity(workspace) == len(before)
    assert list(Activity.objects.order_by("at", "pk").values(*fields)) == before

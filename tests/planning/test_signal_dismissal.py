"""Dismissing and snoozing dashboard signals: for good, for 30 or 90 days, or until
their figures change; restoring them; who may do each; never announced again."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from channels.models import ChannelUsage
from notifications.models import Notification
from notifications.schedules import announce_signals
from planning.dashboard import build_dashboard
from planning.models import SignalDismissal
from tests.factories import ChannelFactory, ChannelUsageFactory, PersonaFactory, PlanFactory
from workspaces.models import Activity, Workspace

EMERGING = "TikTok already holds 20% of Farah's mix"


@pytest.fixture
def tiktok(workspace) -> ChannelUsage:
    """Farah's emerging TikTok at 20% of her mix: one pressing signal."""
    farah = PersonaFactory(workspace=workspace, name="Farah")
    PlanFactory(workspace=workspace, personas=[farah])
    ChannelUsageFactory(persona=farah, channel=ChannelFactory(workspace=workspace), share=80)
    return ChannelUsageFactory(
        persona=farah,
        channel=ChannelFactory(workspace=workspace, name="TikTok"),
        share=20,
        stage="emerging",
    )


def shown(workspace) -> list[str]:
    """The dashboard's signals, read afresh as a request would."""
    fresh = Workspace.objects.get(pk=workspace.pk)
    return [s.text for s in build_dashboard(fresh).signals]


def emerging_key(usage: ChannelUsage) -> str:
    return f"emerging:persona:{usage.persona_id}:channel:{usage.channel_id}"


def dismiss(client, workspace, key, mode="dismissed", reason="", **headers):
    url = reverse("planning:signal_dismiss", args=[workspace.slug])
    return client.post(url, {"key": key, "mode": mode, "reason": reason}, **headers)


def test_dismissed_signal_leaves_the_dashboard_and_shows_on_the_list(
    marketer_client, reviewer_client, workspace, tiktok
):
    assert any(t.startswith(EMERGING) for t in shown(workspace))
    response = dismiss(
        marketer_client, workspace, emerging_key(tiktok), reason="Promoting it next quarter"
    )
    assert response.status_code == 303
    assert not any(t.startswith(EMERGING) for t in shown(workspace))
    dashboard = marketer_client.get(reverse("planning:dashboard", args=[workspace.slug]))
    assert "1 signal dismissed or snoozed" in dashboard.content.decode()
    listed = reviewer_client.get(reverse("planning:signals_dismissed", args=[workspace.slug]))
    page = html.unescape(listed.content.decode())
    assert EMERGING in page
    assert "Promoting it next quarter" in page
    assert "by Bob Marketer on" in page
    assert "Restore</button>" not in page  # reviewers see them and cannot act
    dismissal = SignalDismissal.objects.get(workspace=workspace)
    assert dismissal.mode == "dismissed" and dismissal.until is None
    assert dismissal.by.email == "bob@example.com"


@pytest.mark.parametrize("mode, days", [("snooze-30", 30), ("snooze-90", 90)])
def test_a_snooze_hides_the_signal_until_its_day(marketer_client, workspace, tiktok, mode, days):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert dismiss(marketer_client, workspace, emerging_key(tiktok), mode).status_code == 303
        assert not any(t.startswith(EMERGING) for t in shown(workspace))
    assert SignalDismissal.objects.get().until == start + timedelta(days=days)
    with time_machine.travel(start + timedelta(days=days - 1), tick=False):
        assert not any(t.startswith(EMERGING) for t in shown(workspace))
    with time_machine.travel(start + timedelta(days=days, seconds=1), tick=False):
        assert any(t.startswith(EMERGING) for t in shown(workspace))


def test_dismissed_for_good_stays_away_after_90_days(marketer_client, workspace, tiktok):
    dismiss(marketer_client, workspace, emerging_key(tiktok))
    with time_machine.travel(timezone.now() + timedelta(days=400)):
        assert not any(t.startswith(EMERGING) for t in shown(workspace))


def test_until_its_data_changes_wakes_when_the_figures_change(marketer_client, workspace, tiktok):
    dismiss(marketer_client, workspace, emerging_key(tiktok), "until-changed")
    assert not any(t.startswith(EMERGING) for t in shown(workspace))
    tiktok.persona.usages.exclude(pk=tiktok.pk).update(share=75)
    ChannelUsage.objects.filter(pk=tiktok.pk).update(share=25)
    texts = shown(workspace)
    assert any(t.startswith("TikTok already holds 25% of Farah's mix") for t in texts)


def test_until_its_data_changes_holds_while_they_stay(marketer_client, workspace, tiktok):
    dismiss(marketer_client, workspace, emerging_key(tiktok), "until-changed")
    ChannelUsage.objects.filter(pk=tiktok.pk).update(notes="Unrelated words")
    assert not any(t.startswith(EMERGING) for t in shown(workspace))


def test_restore_brings_it_back_and_history_says_who(owner_client, workspace, tiktok):
    dismiss(owner_client, workspace, emerging_key(tiktok), "snooze-90", reason="Later")
    dismissal = SignalDismissal.objects.get()
    url = reverse("planning:signal_restore", args=[workspace.slug, dismissal.pk])
    assert owner_client.post(url).status_code == 303
    assert not SignalDismissal.objects.exists()
    assert any(t.startswith(EMERGING) for t in shown(workspace))
    actions = list(
        Activity.objects.filter(workspace=workspace, kind="signal")
        .order_by("at", "pk")
        .values_list("action", "reason")
    )
    assert actions == [("created", "Later"), ("deleted", "")]


@pytest.mark.parametrize("role_client", ["marketer_client", "owner_client"])
def test_marketers_and_owners_may_dismiss_and_restore(request, workspace, tiktok, role_client):
    client = request.getfixturevalue(role_client)
    assert dismiss(client, workspace, emerging_key(tiktok)).status_code == 303
    dismissal = SignalDismissal.objects.get()
    url = reverse("planning:signal_restore", args=[workspace.slug, dismissal.pk])
    assert client.post(url).status_code == 303


def test_reviewers_may_not_dismiss_or_restore(reviewer_client, marketer_client, workspace, tiktok):
    assert dismiss(reviewer_client, workspace, emerging_key(tiktok)).status_code == 403
    assert not SignalDismissal.objects.exists()
    dismiss(marketer_client, workspace, emerging_key(tiktok))
    dismissal = SignalDismissal.objects.get()
    url = reverse("planning:signal_restore", args=[workspace.slug, dismissal.pk])
    assert reviewer_client.post(url).status_code == 403
    assert SignalDismissal.objects.filter(pk=dismissal.pk).exists()
    page = reviewer_client.get(reverse("planning:dashboard", args=[workspace.slug]))
    assert "Dismiss<span" not in page.content.decode()


def test_bad_input_is_refused_and_nothing_saved(marketer_client, workspace, tiktok):
    too_long = dismiss(marketer_client, workspace, emerging_key(tiktok), reason="x" * 201)
    assert too_long.status_code == 422
    assert "Ensure this value has at most 200 characters" in too_long.content.decode()
    assert 'value="' + "x" * 201 + '"' in too_long.content.decode()  # input kept
    wrong_mode = dismiss(marketer_client, workspace, emerging_key(tiktok), mode="forever")
    assert wrong_mode.status_code == 422
    assert "Choose how long the signal stays away." in wrong_mode.content.decode()
    unknown = dismiss(marketer_client, workspace, "emerging:persona:0:channel:0")
    assert unknown.status_code == 422
    assert "This signal no longer shows" in unknown.content.decode()
    assert not SignalDismissal.objects.exists()


def test_htmx_dismiss_answers_with_the_card_and_an_undo(marketer_client, workspace, tiktok):
    response = dismiss(
        marketer_client, workspace, emerging_key(tiktok), "snooze-30", HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section class="card signals-card')
    assert "Snoozed for 30 days: “TikTok already holds 20%" in page
    assert ">Undo</button>" in page


def test_an_htmx_read_of_the_dashboard_answers_with_the_signals_card(
    marketer_client, workspace, tiktok
):
    url = reverse("planning:dashboard", args=[workspace.slug])
    response = marketer_client.get(url, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section class="card signals-card')
    assert "TikTok already holds 20%" in page
    assert "h-pipeline" not in page


def test_a_dismissed_pressing_signal_is_not_announced(marketer_client, workspace, tiktok):
    dismiss(marketer_client, workspace, emerging_key(tiktok))
    assert announce_signals(Workspace.objects.get(pk=workspace.pk)) == 0
    assert not Notification.objects.filter(kind="signal").exists()


def test_other_workspaces_dismissals_do_not_count(
    marketer_client, workspace, other_workspace, tiktok
):
    SignalDismissal.objects.create(
        workspace=other_workspace,
        key=emerging_key(tiktok),
        kind="emerging",
        text="x",
        mode="dismissed",
    )
    Workspace.objects.filter(pk=workspace.pk).update(signals_set_aside=1)
    assert any(t.startswith(EMERGING) for t in shown(workspace))


def test_reading_what_is_set_aside_costs_one_query_whatever_its_size(
    marketer_client, workspace, tiktok, django_assert_num_queries
):
    url = reverse("planning:dashboard", args=[workspace.slug])
    with CaptureQueriesContext(connection) as none_set_aside:
        marketer_client.get(url)
    dismiss(marketer_client, workspace, emerging_key(tiktok))
    cache.clear()  # each read computes everything: the pace too, which a dismissal keeps
    with CaptureQueriesContext(connection) as one:
        marketer_client.get(url)
    farah = tiktok.persona
    for _ in range(5):
        usage = ChannelUsageFactory(
            persona=farah,
            channel=ChannelFactory(workspace=workspace),
            trend="rising",
            share=1,
            stage="emerging",
        )
        dismiss(marketer_client, workspace, f"rising:persona:{farah.pk}:channel:{usage.channel_id}")
    assert SignalDismissal.objects.count() == 6
    cache.clear()
    with CaptureQueriesContext(connection) as six:
        page = marketer_client.get(url).content.decode()
    assert "6 signals dismissed or snoozed" in page
    assert len(six) == len(one) == len(none_set_aside) + 1

"""The tighter signal rules: who is told what, never twice contradictory, ranked,
grouped by persona and capped on the dashboard."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from planning.dashboard import SHOWN_SIGNALS, SignalKind, build_dashboard, signal_rules
from tests.factories import (
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    ExperimentResultFactory,
    PersonaFactory,
    PlanFactory,
)


def rising(workspace) -> list[str]:
    return [s.text for s in build_dashboard(workspace).signals if s.kind == SignalKind.RISING]


def _rising_usage(workspace, stage="emerging", name="TikTok", persona=None):
    persona = persona or PersonaFactory(workspace=workspace, name="Farah")
    channel = ChannelFactory(workspace=workspace, name=name)
    ChannelUsageFactory(persona=persona, channel=channel, trend="rising", stage=stage, share=5)
    ChannelUsageFactory(persona=persona, channel=ChannelFactory(workspace=workspace), share=95)
    return persona, channel


def test_rising_emerging_channel_with_no_experiment_fires(workspace):
    _rising_usage(workspace)
    assert rising(workspace) == [
        "TikTok is rising for Farah and no experiment explores it. Where are they going?"
    ]


def test_rising_core_channel_does_not(workspace):
    _rising_usage(workspace, stage="core")
    assert rising(workspace) == []


def test_core_for_one_persona_still_fires_for_another_where_it_is_not(workspace):
    farah, tiktok = _rising_usage(workspace, stage="core")
    dan = PersonaFactory(workspace=workspace, name="Dan")
    ChannelUsageFactory(persona=dan, channel=tiktok, trend="rising", stage="emerging", share=5)
    ChannelUsageFactory(persona=dan, channel=ChannelFactory(workspace=workspace), share=95)
    assert rising(workspace) == [
        "TikTok is rising for Dan and no experiment explores it. Where are they going?"
    ]


def test_planned_running_or_adopted_experiment_counts_as_exploring(workspace):
    for status, outcome in (("planned", ""), ("running", ""), ("concluded", "adopt")):
        persona, channel = _rising_usage(workspace, name=f"C {status}", persona=None)
        persona.name = f"P {status}"
        persona.save()
        ExperimentFactory(
            workspace=workspace,
            kind="channel",
            channel=channel,
            status=status,
            outcome=outcome,
            personas=[persona],
        )
    assert rising(workspace) == []


def test_an_idea_or_a_dropped_experiment_does_not_count(workspace):
    farah, tiktok = _rising_usage(workspace)
    ExperimentFactory(
        workspace=workspace, kind="channel", channel=tiktok, status="idea", personas=[farah]
    )
    ExperimentFactory(
        workspace=workspace,
        kind="channel",
        channel=tiktok,
        status="concluded",
        outcome="drop",
        personas=[farah],
    )
    assert len(rising(workspace)) == 1


def test_a_graduated_channel_counts_as_explored(workspace):
    farah, tiktok = _rising_usage(workspace)
    ExperimentFactory(
        workspace=workspace,
        kind="channel",
        channel=tiktok,
        status="concluded",
        outcome="iterate",
        graduated_at=timezone.now(),
        personas=[farah],
    )
    assert rising(workspace) == []


def test_an_experiment_for_another_persona_does_not_cover_this_one(workspace):
    farah, tiktok = _rising_usage(workspace)
    dan = PersonaFactory(workspace=workspace, name="Dan")
    ExperimentFactory(
        workspace=workspace, kind="channel", channel=tiktok, status="running", personas=[dan]
    )
    assert len(rising(workspace)) == 1


def test_promote_wins_over_start_an_experiment_for_the_same_persona_and_channel(workspace):
    farah = PersonaFactory(workspace=workspace, name="Farah")
    youtube = ChannelFactory(workspace=workspace, name="YouTube")
    ChannelUsageFactory(persona=farah, channel=youtube, share=30, stage="emerging", trend="rising")
    ChannelUsageFactory(persona=farah, channel=ChannelFactory(workspace=workspace), share=70)
    signals = [s for s in build_dashboard(workspace).signals if s.channel_id == youtube.pk]
    assert [(s.kind, s.action) for s in signals] == [(SignalKind.EMERGING, "Promote it")]


def test_the_same_channel_for_two_personas_is_not_a_contradiction(workspace):
    youtube = ChannelFactory(workspace=workspace, name="YouTube")
    for name, share in (("Farah", 30), ("Dan", 5)):
        persona = PersonaFactory(workspace=workspace, name=name)
        ChannelUsageFactory(
            persona=persona, channel=youtube, share=share, stage="emerging", trend="rising"
        )
        ChannelUsageFactory(
            persona=persona, channel=ChannelFactory(workspace=workspace), share=100 - share
        )
    signals = build_dashboard(workspace).signals
    assert sorted((s.persona_name, s.kind) for s in signals if s.channel_id == youtube.pk) == [
        ("Dan", SignalKind.RISING),
        ("Farah", SignalKind.EMERGING),
    ]


def _many(workspace, personas=3, per_persona=4):
    """Each persona: one emerging channel past 16 % and several rising ones."""
    for p in range(personas):
        persona = PersonaFactory(workspace=workspace, name=f"Persona {p}")
        ChannelUsageFactory(
            persona=persona,
            channel=ChannelFactory(workspace=workspace, name=f"Big {p}"),
            share=40,
            stage="emerging",
        )
        for c in range(per_persona):
            ChannelUsageFactory(
                persona=persona,
                channel=ChannelFactory(workspace=workspace, name=f"Rising {p}.{c}"),
                share=5,
                stage="emerging",
                trend="rising",
            )
    ready = ExperimentFactory(workspace=workspace, status="running", target=10, title="Ready")
    ExperimentResultFactory(experiment=ready, value=12)


def test_signals_are_ranked_most_pressing_first(workspace):
    _many(workspace)
    kinds = [s.kind for s in build_dashboard(workspace).signals]
    assert kinds[:4] == [SignalKind.READY] + [SignalKind.EMERGING] * 3
    assert set(kinds[4:]) == {SignalKind.RISING}


def test_the_dashboard_shows_seven_grouped_by_persona_and_all_on_request(
    reviewer_client, workspace
):
    _many(workspace)
    PlanFactory(workspace=workspace)  # the signals card shows beside a plan
    url = reverse("planning:dashboard", args=[workspace.slug])
    signals = build_dashboard(workspace).signals
    total = len(signals)
    # the plan's own (drift or exploration) signals, the ready one, 3 emerging, 12 rising
    assert [s.kind for s in signals].count(SignalKind.RISING) == 12 and total > SHOWN_SIGNALS
    html = reviewer_client.get(url).content.decode()
    assert html.count('class="dash-signal ') == SHOWN_SIGNALS
    assert f"Show all {total} signals" in html
    assert "Whole workspace" in html and "Persona 0 <span" in html
    assert html.index("Whole workspace") < html.index("Persona 0 <span")
    persona_0 = sum(1 for s in signals if s.persona_name == "Persona 0")
    assert f"{persona_0} signals" in html  # Persona 0's group counts all of its signals
    html = reviewer_client.get(url, {"signals": "all"}).content.decode()
    assert html.count('class="dash-signal ') == total
    assert "Show all" not in html and "Show the 7 most pressing" in html


def test_grouping_follows_the_ranking(workspace):
    _many(workspace)
    groups = build_dashboard(workspace).signal_groups
    assert [g.name for g in groups] == ["Whole workspace", "Persona 0", "Persona 1", "Persona 2"]
    assert [len(g.signals) for g in groups] == [1, 4, 1, 1]
    assert [g.total for g in groups] == [1, 5, 5, 5]


def test_the_help_page_explains_every_rule_from_the_signals_card(reviewer_client, workspace):
    _rising_usage(workspace)
    PlanFactory(workspace=workspace)
    dashboard = reviewer_client.get(reverse("planning:dashboard", args=[workspace.slug]))
    help_url = reverse("planning:signals_help", args=[workspace.slug])
    assert f'href="{help_url}"' in dashboard.content.decode()
    html = reviewer_client.get(help_url).content.decode()
    for rule in signal_rules():
        assert rule.title in html
    assert "innovators (2.5%) and the early adopters (13.5%)" in html
    assert "the first 16% to take something up" in html
    assert "not core for them" in html and "graduated" in html


def test_the_help_page_reads_the_threshold_from_its_constant(monkeypatch):
    from decimal import Decimal

    monkeypatch.setattr("planning.dashboard.EMERGING_THRESHOLD", Decimal("20"))
    emerging = next(r for r in signal_rules() if r.kind == SignalKind.EMERGING)
    assert emerging.text.startswith("An emerging channel that already holds 20% or more")


def test_every_signal_kind_has_a_rule(workspace):
    from planning.dashboard import SIGNAL_RULES

    assert set(SIGNAL_RULES) == set(SignalKind)
    assert len(signal_rules()) == len(set(SIGNAL_RULES.values()))


def test_all_signals_come_a_page_at_a_time(
    reviewer_client, marketer_client, workspace, monkeypatch
):
    """However many signals fire, "show all" lists a page of them, with links to
    the pages before and after (plain links: no JavaScript needed)."""
    import re
    from html import unescape

    from planning import dashboard

    monkeypatch.setattr(dashboard, "SIGNALS_PAGE", 5)
    _many(workspace)
    plan = PlanFactory(workspace=workspace)
    url = reverse("planning:dashboard", args=[workspace.slug])
    signals = build_dashboard(workspace).signals
    total = len(signals)
    assert total > 10
    pages = -(-total // 5)
    seen = []
    for page in range(1, pages + 1):
        html = reviewer_client.get(url, {"signals": "all", "page": page}).content.decode()
        texts = re.findall(r'<span class="signal-text">([^<]*)</span>', html)
        assert len(texts) == min(5, total - (page - 1) * 5)
        seen += texts
        first, last = (page - 1) * 5 + 1, (page - 1) * 5 + len(texts)
        assert f"Signals {first}–{last} of {total}" in html
        assert ('rel="prev"' in html) is (page > 1)
        assert ('rel="next"' in html) is (page < pages)
        if page < pages:
            assert f"signals=all&amp;page={page + 1}#signals" in html
    # Every signal once, across the pages.
    assert sorted(unescape(t) for t in seen) == sorted(s.text for s in signals)
    # A page past the last shows the last; a page that is no number, the first.
    last = reviewer_client.get(url, {"signals": "all", "page": 999}).content.decode()
    assert f"of {total}</span>" in last and 'rel="next"' not in last
    first = reviewer_client.get(url, {"signals": "all", "page": "x"}).content.decode()
    assert "Signals 1–5 of" in first
    # Dismissing from the second page comes back to the second page, without
    # JavaScript too.
    html = marketer_client.get(url, {"signals": "all", "page": 2, "plan": plan.pk}).content
    assert b'name="page" value="2"' in html
    key = re.findall(r'name="key" value="([^"]+)"', html.decode())[0]
    dismiss = reverse("planning:signal_dismiss", args=[workspace.slug])
    posted = {"key": key, "mode": "dismissed", "reason": "", "plan": plan.pk, "signals": "all",
              "page": "2"}  # fmt: skip
    response = marketer_client.post(dismiss, posted)
    assert response.status_code == 303
    assert response["Location"] == f"{url}?plan={plan.pk}&signals=all&page=2#signals"
    html = marketer_client.get(response["Location"]).content.decode()
    assert f"Signals 6–10 of {total - 1}" in html

"""The pace model: hand-worked fixtures for the three states, thin data, the mix as of
a date (a usage added, removed, promoted), and properties."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from planning.allocation import LineKind
from planning.pace import (
    CORE,
    EMERGING,
    YEAR,
    Effort,
    MoveKind,
    Observation,
    PersonaInput,
    PlanEffort,
    State,
    audience_share,
    kept_history,
    mix_as_of,
    persona_pace,
    quarter_of,
    settled_core,
    workspace_pace,
)

# Today is mid Q4 2026; the window runs from Q2 2026 (read on 30 Jun) to now.
TODAY = date(2026, 11, 15)
EARLY = date(2025, 6, 1)
Q2 = (date(2026, 4, 1), date(2026, 6, 30))
Q4 = (date(2026, 10, 1), date(2026, 12, 31))


def obs(usage, on, share, stage=CORE, order=0, removed=False, channel=None):
    return Observation(usage, channel or usage, on, share, stage, order, removed)


def plan(key, dates, present: dict, future: int, weight=1, share=None, experiment=True):
    lines = [Effort(amount, channel) for channel, amount in present.items()]
    kind = LineKind.EXPERIMENT if experiment else LineKind.UNASSIGNED
    lines.append(Effort(future, None, True, kind))
    total = sum(present.values()) + future
    present_share = share if share is not None else sum(present.values()) * 100 // total
    return PlanEffort(key, f"{key} plan", dates[0], dates[1], weight, present_share, lines, lines)


# Farah: TikTok grows from 20 to 40 of a 100 mix (X falls 40 → 20): A 20 → 40.
# The team: exploration 20 % in Q2, 22 % in Q4. ΔA = 20, ΔE = 2, gap −18.
FARAH = PersonaInput(
    "farah",
    "Farah",
    [
        obs("podcasts", EARLY, 40),
        obs("x", EARLY, 40),
        obs("tiktok", EARLY, 20, EMERGING),
        obs("x", date(2026, 8, 1), 20),
        obs("tiktok", date(2026, 8, 1), 40, EMERGING),
    ],
    [
        plan("q2", Q2, {"podcasts": 40, "x": 40}, 20, weight=2, experiment=False),
        plan("q4", Q4, {"podcasts": 40, "x": 38}, 22, weight=2),
    ],
)

# Paul: LinkedIn (emerging) 10 → 12 of 100: A 10 → 12. Effort 15 → 16. Gap −1.
PAUL = PersonaInput(
    "paul",
    "Paul",
    [
        obs("email", EARLY, 45),
        obs("trade", EARLY, 45),
        obs("linkedin", EARLY, 10, EMERGING),
        obs("trade", date(2026, 9, 1), 43),
        obs("linkedin", date(2026, 9, 1), 12, EMERGING),
    ],
    [plan("q2", Q2, {"email": 85}, 15), plan("q4", Q4, {"email": 84}, 16)],
)

# Olivia: YouTube holds 6 of 100 throughout (checked again in March): A 6 → 6.
# Effort 10 → 30: the team runs 20 points ahead.
OLIVIA = PersonaInput(
    "olivia",
    "Olivia",
    [
        obs("linkedin", EARLY, 50),
        obs("trade", EARLY, 44),
        obs("youtube", EARLY, 6, EMERGING),
        obs("linkedin", date(2026, 3, 1), 50),
    ],
    [plan("q2", Q2, {"linkedin": 90}, 10), plan("q4", Q4, {"linkedin": 70}, 30)],
)


def test_falling_behind_by_hand():
    pace = persona_pace(FARAH, TODAY, tolerance=5)
    assert pace.audience_moved == Decimal("20.00")
    assert pace.effort_moved == Decimal("2.00")
    assert pace.gap == Decimal("-18.00")
    assert pace.state == State.BEHIND
    assert pace.sentence == (
        "Farah's audience moved 20 points towards emerging channels in the last two quarters; "
        "your effort on them moved 2 points."
    )
    # TikTok holds 40 % of the mix: past the 16 % point, promote it.
    assert pace.move.kind == MoveKind.PROMOTE and pace.move.channel == "tiktok"


def test_keeping_pace_by_hand():
    pace = persona_pace(PAUL, TODAY, tolerance=5)
    assert (pace.audience_moved, pace.effort_moved, pace.gap) == (
        Decimal("2.00"),
        Decimal("1.00"),
        Decimal("-1.00"),
    )
    assert pace.state == State.KEEPING
    assert pace.sentence.startswith("Paul's audience moved 2 points towards emerging channels")


def test_running_ahead_by_hand():
    pace = persona_pace(OLIVIA, TODAY, tolerance=5)
    assert (pace.audience_moved, pace.effort_moved, pace.gap) == (
        Decimal("0.00"),
        Decimal("20.00"),
        Decimal("20.00"),
    )
    assert pace.state == State.AHEAD
    assert pace.sentence.startswith(
        "30% of your effort for Olivia goes to channels that hold 6% of their attention"
    )
    # Her present share in the plan, 70, raised by the 20-point gap.
    assert pace.move == pace.move.__class__(MoveKind.RATIO, present_share=90)


def test_the_tolerance_decides_the_state():
    assert persona_pace(FARAH, TODAY, tolerance=18).state == State.KEEPING
    assert persona_pace(FARAH, TODAY, tolerance=17).state == State.BEHIND


def test_falling_behind_without_an_experiment_suggests_one():
    """No emerging channel past 16 %, and the plan's exploration has no experiment."""
    slow = PersonaInput(
        "dan",
        "Dan",
        [
            obs("search", EARLY, 90),
            obs("pods", EARLY, 10, EMERGING),
            obs("search", date(2026, 8, 1), 80),
            obs("pods", date(2026, 8, 1), 12, EMERGING),
        ],
        [
            plan("q2", Q2, {"search": 90}, 10, experiment=False),
            plan("q4", Q4, {"search": 90}, 10, experiment=False),
        ],
    )
    pace = persona_pace(slow, TODAY, tolerance=1)
    # 12 / 92 = 13.04 %: A moved 3.04 points, effort 0.
    assert pace.gap == Decimal("-3.04") and pace.state == State.BEHIND
    assert pace.move.kind == MoveKind.EXPERIMENT and pace.move.channel == "pods"


def test_workspace_gap_weighted_as_the_plans_weight_personas():
    result = workspace_pace([FARAH, PAUL, OLIVIA], TODAY, tolerance=5)
    # (2 × −18 + 1 × −1 + 1 × 20) / 4 = −17 / 4
    assert result.gap == Decimal("-4.25")
    assert result.state == State.KEEPING
    assert [p.name for p in result.most_out_of_pace] == ["Olivia", "Farah"]
    assert [result.count(s) for s in State] == [1, 1, 1]


# --- The mix as of a date --------------------------------------------------------


def test_mix_as_of_a_date_takes_each_usages_last_observation():
    observations = [
        obs("a", date(2026, 1, 1), 30),
        obs("a", date(2026, 3, 1), 50),
        obs("a", date(2026, 3, 1), 55, order=2),  # later that day
        obs("b", date(2026, 2, 1), 10, EMERGING),
    ]
    assert mix_as_of(observations, date(2025, 12, 31)) == {}
    assert mix_as_of(observations, date(2026, 1, 31)) == {"a": (30, CORE)}
    assert mix_as_of(observations, date(2026, 3, 1)) == {"a": (55, CORE), "b": (10, EMERGING)}


def test_a_usage_added_counts_from_its_first_observation_as_moving():
    observations = [obs("a", EARLY, 80), obs("new", date(2026, 8, 1), 20)]
    assert audience_share(observations, date(2026, 7, 31)) == 0
    # Added as core this year: not in the settled core, so where they are going.
    assert audience_share(observations, date(2026, 8, 1)) == 20


def test_a_usage_removed_leaves_the_mix():
    observations = [
        obs("a", EARLY, 50),
        obs("b", EARLY, 50, EMERGING),
        obs("b", date(2026, 5, 1), 50, EMERGING, removed=True),
    ]
    assert mix_as_of(observations, date(2026, 4, 30)) == {"a": (50, CORE), "b": (50, EMERGING)}
    assert mix_as_of(observations, date(2026, 5, 1)) == {"a": (50, CORE)}
    assert audience_share(observations, date(2026, 5, 1)) == 0


def test_a_usage_promoted_counts_as_moving_for_a_year():
    observations = [
        obs("a", EARLY, 90),
        obs("web", EARLY, 10, EMERGING),
        obs("web", date(2026, 5, 1), 10, CORE),
    ]
    # Emerging, then core but not core a year earlier: still where they are going.
    assert audience_share(observations, date(2026, 4, 30)) == 10
    assert audience_share(observations, date(2026, 6, 30)) == 10
    # A year after its promotion it is settled.
    assert audience_share(observations, date(2027, 5, 1)) == 0
    # The effort on it counts as moving while it is newly core.
    pace = persona_pace(
        PersonaInput(
            "p",
            "P",
            observations,
            [plan("q2", Q2, {"a": 80, "web": 10}, 10), plan("q4", Q4, {"a": 70, "web": 20}, 10)],
        ),
        TODAY,
        tolerance=5,
    )
    assert [pt.allocated for pt in pace.points[-3::2]] == [Decimal("20.00"), Decimal("30.00")]


# --- Thin data -------------------------------------------------------------------


def test_observations_less_than_a_quarter_apart_say_what_to_record():
    close = PersonaInput(
        "n",
        "Nia",
        [obs("a", date(2026, 9, 1), 50), obs("a", date(2026, 10, 1), 60)],
        FARAH.plans,
    )
    pace = persona_pace(close, TODAY, tolerance=5)
    assert pace.gap is None and pace.state is None
    assert pace.thin == [
        "Nia's channel mix has no two observations a quarter apart: record it again on or "
        "after 1 Dec 2026 to measure how their audience moves."
    ]


def test_no_mix_recorded_by_the_window_start():
    late = PersonaInput(
        "l", "Lea", [obs("a", date(2026, 7, 1), 50), obs("a", date(2026, 11, 1), 40)], FARAH.plans
    )
    pace = persona_pace(late, TODAY, tolerance=5)
    assert pace.gap is None
    assert pace.thin == [
        "Lea's channel mix is first recorded on 1 Jul 2026: the pace since Q2 2026 needs their "
        "mix as it was by 30 Jun 2026."
    ]


def test_no_plan_covering_a_quarter_says_which():
    unplanned = PersonaInput("p", "Paul", PAUL.observations, [PAUL.plans[1]])
    pace = persona_pace(unplanned, TODAY, tolerance=5)
    assert pace.gap is None
    assert pace.thin == [
        "Your effort for Paul in Q2 2026 has no figure (no approved plan covers it): approve a "
        "plan for Q2 2026 with Paul in it."
    ]
    # The quarters with figures still show them.
    assert pace.points[-1].allocated == Decimal("16.00")
    assert pace.points[-3].allocated is None


def test_no_mix_at_all():
    pace = persona_pace(PersonaInput("e", "Eve", [], PAUL.plans), TODAY, tolerance=5)
    assert pace.thin == ["No channel mix is recorded for Eve: add the channels they use today."]


def test_a_workspace_with_only_thin_personas_has_no_figure():
    result = workspace_pace([PersonaInput("e", "Eve")], TODAY, tolerance=5)
    assert result.gap is None and result.state is None
    assert len(result.thin) == 1


def test_quarters():
    assert quarter_of(date(2026, 11, 15)).label == "Q4 2026"
    assert quarter_of(date(2026, 1, 1), -1) == quarter_of(date(2025, 12, 31))
    assert quarter_of(date(2026, 2, 28), 0).end == date(2026, 3, 31)


# --- Properties ------------------------------------------------------------------

DAYS = st.integers(min_value=0, max_value=700)
observation = st.builds(
    lambda usage, days, share, stage, order, removed: obs(
        f"u{usage}", date(2025, 1, 1) + timedelta(days=days), share, stage, order, removed
    ),
    st.integers(0, 3),
    DAYS,
    st.integers(0, 100),
    st.sampled_from([CORE, EMERGING]),
    st.integers(0, 3),
    st.booleans(),
)


def _plans(present: int, future: int, channel: str = "u0") -> list[PlanEffort]:
    return [
        plan("q2", Q2, {channel: present}, future),
        plan("q4", Q4, {channel: future + 7, "u1": present}, present),
    ]


@settings(max_examples=150, deadline=None)
@given(st.lists(observation, max_size=14), st.randoms(use_true_random=False))
def test_the_gap_does_not_depend_on_the_order_of_observations(observations, rnd):
    shuffled = list(observations)
    rnd.shuffle(shuffled)
    plans = _plans(60, 40)
    first = persona_pace(PersonaInput("p", "P", observations, plans), TODAY, 5)
    second = persona_pace(PersonaInput("p", "P", shuffled, plans), TODAY, 5)
    assert first == second


@settings(max_examples=150, deadline=None)
@given(
    st.lists(observation, min_size=2, max_size=14),
    st.fractions(min_value=0, max_value=1),
)
def test_the_gap_is_zero_when_both_sides_move_together(observations, where):
    start, now = date(2026, 6, 30), TODAY
    before, after = audience_share(observations, start), audience_share(observations, now)
    assume(before is not None and after is not None)
    low, high = min(before, after), max(before, after)
    shift = -low + where * (100 - high + low)  # keeps both efforts within 0–100
    # The effort follows the audience: the future part is A + shift each quarter,
    # the rest on a channel no observation names (so never newly core).
    plans = [
        PlanEffort(
            key, key, *dates, 1, 50,
            [Effort(100 - (a + shift), "elsewhere"), Effort(a + shift, None, True)],
        )
        for key, dates, a in (("q2", Q2, before), ("q4", Q4, after))
    ]  # fmt: skip
    pace = persona_pace(PersonaInput("p", "P", observations, plans), now, tolerance=0)
    assume(not pace.thin)
    assert pace.gap == 0
    assert pace.state == State.KEEPING
    assert pace.effort_moved == pace.audience_moved


@settings(max_examples=150, deadline=None)
@given(st.lists(observation, max_size=14), st.integers(1, 100), st.integers(1, 100))
def test_without_the_chart_every_figure_but_the_points_is_the_same(observations, present, future):
    persona = PersonaInput("p", "P", observations, _plans(present, future))
    full = persona_pace(persona, TODAY, 5)
    states = persona_pace(persona, TODAY, 5, chart=False)
    assert states.points == []
    assert dataclasses.replace(states, points=full.points) == full


@settings(max_examples=150, deadline=None)
@given(
    st.lists(observation, max_size=14),
    st.integers(1, 100),
    st.integers(1, 100),
    st.integers(0, 400),
    st.booleans(),
)
def test_a_kept_history_gives_the_state_her_observations_give(
    observations, present, future, days, another_plan
):
    """What ``kept_history`` keeps of her observations, without them, answers
    every figure of her state on the same day, whatever the plans (her figures
    are kept across plan changes)."""
    today = date(2026, 1, 1) + timedelta(days=days)
    kept = kept_history(observations, today)
    plans = _plans(present, future, "u1" if another_plan else "u0")
    read = persona_pace(PersonaInput("p", "P", observations, plans), today, 5, chart=False)
    again = persona_pace(PersonaInput("p", "P", (), plans, kept), today, 5, chart=False)
    assert again == read


@settings(max_examples=300, deadline=None)
@given(
    st.lists(observation, max_size=14),
    st.integers(1, 100),
    st.integers(1, 100),
    st.integers(0, 91),
    st.data(),
)
def test_a_kept_history_answers_a_later_day_it_holds_as_her_observations_do(
    observations, present, future, days, data
):
    """Kept on one day, her history answers for each later day it says it holds
    (no observation since, none a year before that, the same quarter) exactly
    what her observations answer on that day. (In Q4 2026, which the plans
    cover with Q2: every figure is worked out.)"""
    today = Q4[0] + timedelta(days=days)
    # Some observed a little after a year before: the settled core turns then.
    year_ago = st.builds(
        lambda usage, after, stage: obs(f"u{usage}", today - YEAR + timedelta(days=after), 50, stage),
        st.integers(0, 3), st.integers(1, 60), st.sampled_from([CORE, EMERGING]),
    )  # fmt: skip
    observations = [*observations, *data.draw(st.lists(year_ago, max_size=3))]
    # A later day, often one where a figure may turn: an observation's day, or a
    # year after one, or the day before either.
    turns = [
        o.on + shift + timedelta(days=before)
        for o in observations
        for shift in (timedelta(0), YEAR)
        for before in (0, -1)
        if o.on + shift + timedelta(days=before) >= today
    ]
    later = st.integers(0, 100).map(lambda n: today + timedelta(days=n))
    day = data.draw(st.one_of(st.sampled_from(turns), later) if turns else later)
    kept = kept_history(observations, today)
    assert kept.answers(today)
    assert kept.until <= quarter_of(today).end
    assert not any(today < o.on <= kept.until for o in observations)
    if not kept.answers(day):
        assert day > kept.until
        return
    assert kept.audience(day) == audience_share(observations, day)
    assert kept.settled(day) == settled_core(observations, day)
    plans = _plans(present, future)
    read = persona_pace(PersonaInput("p", "P", observations, plans), day, 5, chart=False)
    again = persona_pace(PersonaInput("p", "P", (), plans, kept), day, 5, chart=False)
    assert again == read


def test_a_kept_history_holds_until_the_day_before_the_next_observation():
    later = obs("tiktok", TODAY + timedelta(days=5), 60, EMERGING)
    kept = kept_history([*FARAH.observations, later], TODAY)
    assert kept.until == TODAY + timedelta(days=4)
    assert kept.answers(TODAY + timedelta(days=4)) and not kept.answers(TODAY + timedelta(days=5))
    # A year after an observation, the settled core moves on: up to the day before.
    kept = kept_history(FARAH.observations, date(2027, 7, 15))
    assert kept.until == date(2027, 7, 31)  # a year after 1 Aug 2026, less a day
    assert kept_history(FARAH.observations, TODAY).until == Q4[1]  # the quarter's end


def test_a_kept_history_refuses_a_day_it_did_not_keep():
    kept = kept_history(FARAH.observations, TODAY)
    with pytest.raises(KeyError):
        kept.mix(TODAY - timedelta(days=1))


def test_a_workspace_without_the_chart_has_the_same_states():
    full = workspace_pace([FARAH, PAUL, OLIVIA], TODAY, tolerance=5)
    states = workspace_pace([FARAH, PAUL, OLIVIA], TODAY, tolerance=5, chart=False)
    assert [len(p.points) for p in full.personas] == [6, 6, 6]
    assert [(p.state, p.gap, p.move, p.thin) for p in states.personas] == [
        (p.state, p.gap, p.move, p.thin) for p in full.personas
    ]
    assert (states.gap, states.state) == (full.gap, full.state)


def test_shuffling_a_worked_fixture_keeps_every_figure():
    shuffled = list(FARAH.observations)
    random.Random(4).shuffle(shuffled)
    moved = PersonaInput("farah", "Farah", shuffled, FARAH.plans)
    assert persona_pace(moved, TODAY, 5) == persona_pace(FARAH, TODAY, 5)
    assert Fraction(persona_pace(moved, TODAY, 5).gap) == -18


def test_a_mix_of_zero_shares_says_so():
    empty = PersonaInput(
        "z", "Zoe", [obs("a", EARLY, 10), obs("a", date(2026, 8, 1), 0)], PAUL.plans
    )
    pace = persona_pace(empty, TODAY, tolerance=5)
    assert pace.thin == [
        "Zoe's channel mix holds no share in Q4 2026: record the shares of the channels they use."
    ]


def test_a_second_observation_due_already_is_due_today():
    early = PersonaInput(
        "n", "Nia", [obs("a", date(2026, 6, 1), 50), obs("a", date(2026, 7, 1), 60)]
    )
    assert persona_pace(early, TODAY, tolerance=5).thin[0] == (
        "Nia's channel mix has no two observations a quarter apart: record it again today to "
        "measure how their audience moves."
    )

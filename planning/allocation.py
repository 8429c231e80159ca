"""The allocation engine: a plan's effort split over personas, channels and experiments.

Pure Python, no Django: plain values in, plain values out, so it can be tested
and benchmarked alone.

Amounts are integers in minor units (hundredths of the plan's effort unit).

1. Each persona gets total × weight / Σ weights.
2. Its present part is its amount × present share / 100; its future part is the rest.
3. The present part is split over the persona's core channels in proportion to
   their shares. No core channel (or only zero shares): one "unplaced" line.
4. The future part is split over the persona's funded experiments in proportion
   to their weights. None (or only zero weights): one "unassigned" line.
5. Every split uses the largest-remainder method with a deterministic
   tie-break (the smaller key wins), so each level sums exactly to its parent
   and the result does not depend on the order of the input.

Invalid input raises ``AllocationError`` with a sentence a person can act on.

``balance`` finds the present shares that make the personas following the
plan's ratio bring the whole plan to its headline split, to the hundredth.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

from pacekeeper.numbers import largest_remainder

Number = int | Decimal | Fraction


class Bucket(StrEnum):
    """Where effort goes: where personas are today, or where they are going."""

    PRESENT = "present"
    FUTURE = "future"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class LineKind(StrEnum):
    """What an allocation line is spent on."""

    CHANNEL = "channel"  # a core channel: where they are
    EXPERIMENT = "experiment"  # a funded experiment: where they are going
    UNPLACED = "unplaced"  # present effort of a persona without core channel shares
    UNASSIGNED = "unassigned"  # future effort of a persona without a funded experiment

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def is_gap(self) -> bool:
        """A line that still needs a channel or an experiment."""
        return self in (LineKind.UNPLACED, LineKind.UNASSIGNED)


PRESENT = Bucket.PRESENT
FUTURE = Bucket.FUTURE


class AllocationError(ValueError):
    """The input cannot be allocated; the message says why."""


class ChannelShare(NamedTuple):
    """A core channel of a persona and its share of the persona's attention (a
    tuple, as lines are: a large plan's inputs hold thousands)."""

    key: Hashable
    share: Number


class ExperimentShare(NamedTuple):
    """A funded experiment targeting a persona, its weight, and its channel if any."""

    key: Hashable
    weight: Number
    channel: Hashable | None = None


@dataclass(frozen=True)
class PersonaInput:
    key: Hashable
    weight: Number
    present_share: Number  # percent, 0–100
    channels: Sequence[ChannelShare] = ()
    experiments: Sequence[ExperimentShare] = ()


class Line(NamedTuple):
    """One allocation line (a tuple: cheap to build by the hundred thousand)."""

    persona: Hashable
    bucket: Bucket
    kind: LineKind
    target: Hashable | None  # channel or experiment key; None for unplaced/unassigned
    amount: int


@dataclass
class PersonaTotals:
    amount: int = 0
    present: int = 0
    future: int = 0


@dataclass
class ChannelTotals:
    present: int = 0  # the channel's present lines, over personas
    future: int = 0  # future lines of experiments on the channel

    @property
    def total(self) -> int:
        return self.present + self.future


@dataclass
class Allocation:
    total: int
    lines: list[Line]
    personas: dict[Hashable, PersonaTotals] = field(default_factory=dict)
    channels: dict[Hashable, ChannelTotals] = field(default_factory=dict)
    experiments: dict[Hashable, int] = field(default_factory=dict)
    buckets: dict[str, int] = field(default_factory=lambda: {PRESENT: 0, FUTURE: 0})
    unplaced: int = 0
    unassigned: int = 0


# --- Largest remainder ---------------------------------------------------------


def _as_fraction(value: Number, what: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | Fraction):
        raise AllocationError(f"{what} must be a number, not {value!r}.")
    if isinstance(value, Decimal) and not value.is_finite():
        raise AllocationError(f"{what} must be a finite number.")
    return Fraction(value)


def _integer_weights(values: Sequence[Number], what: str) -> list[int]:
    """Exact integer weights with the same ratios as ``values``."""
    if all(type(v) is int for v in values):
        ints = list(values)
    elif all(type(v) is Decimal and v.is_finite() for v in values):
        # Fast path for database decimals: scale by the most decimal places.
        places = max(0, *(-v.as_tuple().exponent for v in values))
        ints = [int(v.scaleb(places)) for v in values]
    else:
        fractions = [_as_fraction(v, what) for v in values]
        scale = math.lcm(*(f.denominator for f in fractions)) if fractions else 1
        ints = [f.numerator * (scale // f.denominator) for f in fractions]
    for value in ints:
        if value < 0:
            raise AllocationError(f"{what} cannot be negative.")
    return ints


def _sort_key(key: Hashable) -> tuple:
    # Keys of one kind compare directly; mixed kinds fall back to their names.
    return (type(key).__name__, key)


def apportion(total: int, weights: Sequence[int], keys: Sequence[Hashable]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (integers, not all zero) so the
    parts sum to ``total`` exactly and each is within 1 of its exact quota; a tie
    goes to the smaller key, so the result does not depend on the input's order."""
    return largest_remainder(total, weights, [_sort_key(key) for key in keys])


def _apportion_sorted(total: int, weights: Sequence[int]) -> list[int]:
    """``apportion`` over weights whose keys are distinct and already in their
    sorted order: the smaller key is the earlier one, so ties go by position."""
    return largest_remainder(total, weights)


# --- The engine ----------------------------------------------------------------


def _validate(total: int, personas: Sequence[PersonaInput]) -> None:
    if isinstance(total, bool) or not isinstance(total, int):
        raise AllocationError("The total effort must be a whole number of hundredths.")
    if total < 0:
        raise AllocationError("The total effort cannot be negative.")
    if not personas:
        raise AllocationError("A plan needs at least one persona to allocate effort to.")
    keys = [p.key for p in personas]
    if len(set(keys)) != len(keys):
        raise AllocationError("Each persona can appear only once in a plan.")
    for persona in personas:
        share = persona.present_share
        if type(share) is not int:  # whole percents, the common case, need no Fraction
            share = _as_fraction(share, "A present share")
        if not 0 <= share <= 100:
            raise AllocationError(
                f"The present share of {persona.key} must be between 0 and 100, not {persona.present_share}."
            )
        channel_keys = [c.key for c in persona.channels]
        if len(set(channel_keys)) != len(channel_keys):
            raise AllocationError(f"A channel appears twice in the mix of {persona.key}.")
        experiment_keys = [e.key for e in persona.experiments]
        if len(set(experiment_keys)) != len(experiment_keys):
            raise AllocationError(f"An experiment appears twice for {persona.key}.")


def allocate(total: int, personas: Sequence[PersonaInput]) -> Allocation:
    """Allocate ``total`` hundredths over ``personas``; see the module's docstring."""
    _validate(total, personas)
    ordered = sorted(personas, key=lambda p: _sort_key(p.key))
    amounts = _persona_amounts(total, ordered)

    result = Allocation(total=total, lines=[])
    lines = result.lines
    for persona, amount in zip(ordered, amounts, strict=True):
        present = _present_part(amount, persona.present_share)
        future = amount - present
        result.personas[persona.key] = PersonaTotals(amount, present, future)
        result.buckets[PRESENT] += present
        result.buckets[FUTURE] += future

        channels = sorted(persona.channels, key=lambda c: _sort_key(c.key))
        channel_weights = _integer_weights([c.share for c in channels], "A channel share")
        if present and sum(channel_weights) > 0:
            for channel, part in zip(
                channels,
                _apportion_sorted(present, channel_weights),
                strict=True,
            ):
                if part:
                    lines.append(Line(persona.key, PRESENT, LineKind.CHANNEL, channel.key, part))
                    result.channels.setdefault(channel.key, ChannelTotals()).present += part
        elif present:
            lines.append(Line(persona.key, PRESENT, LineKind.UNPLACED, None, present))
            result.unplaced += present

        experiments = sorted(persona.experiments, key=lambda e: _sort_key(e.key))
        experiment_weights = _integer_weights(
            [e.weight for e in experiments], "An experiment weight"
        )
        if future and sum(experiment_weights) > 0:
            parts = _apportion_sorted(future, experiment_weights)
            for experiment, part in zip(experiments, parts, strict=True):
                if part:
                    lines.append(
                        Line(persona.key, FUTURE, LineKind.EXPERIMENT, experiment.key, part)
                    )
                    result.experiments[experiment.key] = (
                        result.experiments.get(experiment.key, 0) + part
                    )
                    if experiment.channel is not None:
                        result.channels.setdefault(
                            experiment.channel, ChannelTotals()
                        ).future += part
        elif future:
            lines.append(Line(persona.key, FUTURE, LineKind.UNASSIGNED, None, future))
            result.unassigned += future
    return result


# --- Balancing to the headline ratio --------------------------------------------


@dataclass(frozen=True)
class Balance:
    """Present shares that make the plan allocate its headline split, or why none can.

    ``shares`` maps each following persona to its exact present share (a
    Fraction, 0–100); ``reason`` is empty when balancing works."""

    shares: dict[Hashable, Fraction]
    reason: str = ""
    lowest: Fraction | None = None  # the present share of the plan with the followers at 0
    highest: Fraction | None = None  # … and at 100


def _persona_amounts(total: int, ordered: Sequence[PersonaInput]) -> list[int]:
    persona_weights = _integer_weights([p.weight for p in ordered], "A persona weight")
    if sum(persona_weights) == 0:
        raise AllocationError("At least one persona needs a weight above zero.")
    return _apportion_sorted(total, persona_weights)


def _present_part(amount: int, share: Number) -> int:
    if not amount:
        return 0
    if type(share) is int:  # whole percents are their own integer weights
        return _apportion_sorted(amount, [share, 100 - share])[0]
    share = Fraction(share)
    return _apportion_sorted(amount, _integer_weights([share, 100 - share], "A share"))[0]


def balance(
    total: int, personas: Sequence[PersonaInput], headline: Number, followers: set[Hashable]
) -> Balance:
    """Present shares for the ``followers`` (personas that take the plan's ratio)
    so that the whole plan allocates ``headline`` percent where they are, to the
    hundredth of its effort; the other personas keep theirs.

    The followers share the present effort still needed in proportion to their
    amounts; each gets the exact share that yields its part, so ``allocate`` with
    these shares puts exactly round(total × headline / 100) where they are."""
    _validate(total, personas)
    headline = _as_fraction(headline, "The headline share")
    if not 0 <= headline <= 100:
        raise AllocationError("The headline share must be between 0 and 100.")
    ordered = sorted(personas, key=lambda p: _sort_key(p.key))
    amounts = _persona_amounts(total, ordered)
    wanted = math.floor(total * headline / 100 + Fraction(1, 2))
    fixed, following = 0, []
    for persona, amount in zip(ordered, amounts, strict=True):
        if persona.key in followers:
            following.append((persona.key, amount))
        else:
            fixed += _present_part(amount, persona.present_share)
    room = sum(amount for _, amount in following)
    lowest = Fraction(fixed * 100, total) if total else Fraction(0)
    highest = Fraction((fixed + room) * 100, total) if total else Fraction(0)
    needed = wanted - fixed
    if not 0 <= needed <= room:
        return Balance({}, _why_not(headline, lowest, highest, bool(following)), lowest, highest)
    parts = apportion(needed, [a for _, a in following], [k for k, _ in following]) if room else []
    shares = {
        key: Fraction(part * 100, amount) if amount else headline
        for (key, amount), part in zip(following, parts or [0] * len(following), strict=True)
    }
    return Balance(shares, "", lowest, highest)


def _why_not(headline: Fraction, lowest: Fraction, highest: Fraction, any_followers: bool) -> str:
    def split(share: Fraction) -> str:
        present = Decimal(share.numerator) / Decimal(share.denominator)
        present = present.quantize(Decimal("0.01"))
        return f"{present} / {100 - present}"

    if not any_followers:
        return (
            f"Every persona has a ratio of its own, so the plan allocates {split(lowest)} whatever "
            "its headline: clear a persona's own ratio so it follows the plan's."
        )
    if headline < lowest:
        return (
            f"The personas with a ratio of their own already put {split(lowest)} of the plan where "
            "they are, even with every other persona entirely on where they are going: raise the "
            "headline to at least that, or lower a persona's own ratio."
        )
    return (
        f"The personas with a ratio of their own keep the plan at {split(highest)} at most, even "
        "with every other persona entirely on where they are: lower the headline to at most "
        "that, or raise a persona's own ratio."
    )


def to_minor(amount: Decimal | int | str) -> int:
    """An effort in the plan's unit as whole hundredths (the unit must have two decimals at most)."""
    value = Decimal(amount) * 100
    if value != value.to_integral_value():
        raise AllocationError("Efforts have at most two decimals.")
    return int(value)


def from_minor(amount: int) -> Decimal:
    """Whole hundredths back to an effort with two decimals (exact)."""
    return Decimal(amount).scaleb(-2)

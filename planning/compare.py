"""Two plans side by side, line by line: what moved between present and future,
in hours and in percentage points of each plan's total."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from planning.allocation import Bucket
from planning.selectors import PlanView

ZERO = Decimal(0)


@dataclass
class Delta:
    label: str
    before: Decimal
    after: Decimal
    before_share: Decimal | None = None  # shown share of its plan, in percent
    after_share: Decimal | None = None

    @property
    def change(self) -> Decimal:
        return self.after - self.before

    @property
    def points(self) -> Decimal | None:
        """The change of the shown shares, in percentage points."""
        if self.before_share is None and self.after_share is None:
            return None
        return (self.after_share or ZERO) - (self.before_share or ZERO)


@dataclass
class PersonaDelta:
    name: str
    amount: Delta  # her part of the plan, and her share of it
    present: Delta
    future: Delta
    lines: list[tuple[str, Delta]]  # (bucket, delta) per channel or experiment line


@dataclass
class Comparison:
    before: PlanView
    after: PlanView
    totals: list[Delta]
    split: Delta  # the allocated present share, before and after
    personas: list[PersonaDelta]
    channels: list[Delta]


def _parts(view: PlanView) -> tuple[Decimal | None, Decimal | None]:
    split = view.allocated_split
    return split.parts if split is not None else (None, None)


def _line_deltas(a, b) -> list[tuple[str, Delta]]:
    a_lines = {(line.bucket, line.label): line for line in (a.lines if a else [])}
    b_lines = {(line.bucket, line.label): line for line in (b.lines if b else [])}
    keys = sorted(a_lines.keys() | b_lines.keys(), key=lambda k: (k[0] != Bucket.PRESENT, k[1]))
    out = []
    for bucket, label in keys:
        old, new = a_lines.get((bucket, label)), b_lines.get((bucket, label))
        out.append((bucket, Delta(
            label, old.amount if old else ZERO, new.amount if new else ZERO,
            old.of_plan if old else None, new.of_plan if new else None,
        )))  # fmt: skip
    return out


def _persona_delta(name: str, a, b) -> PersonaDelta:
    def amount(row, attr):
        return getattr(row, attr) if row else ZERO

    return PersonaDelta(
        name,
        Delta(name, amount(a, "amount"), amount(b, "amount"),
              a.of_plan if a else None, b.of_plan if b else None),
        Delta("Where they are", amount(a, "present"), amount(b, "present")),
        Delta("Where they are going", amount(a, "future"), amount(b, "future")),
        _line_deltas(a, b),
    )  # fmt: skip


def compare_plans(before: PlanView, after: PlanView) -> Comparison:
    (old_present, old_future), (new_present, new_future) = _parts(before), _parts(after)
    totals = [
        Delta("Total", before.total, after.total),
        Delta("Where they are", before.present, after.present, old_present, new_present),
        Delta("Where they are going", before.future, after.future, old_future, new_future),
    ]
    split = Delta("Split", before.present, after.present, old_present, new_present)
    old = {row.name: row for row in before.personas}
    new = {row.name: row for row in after.personas}
    personas = [
        _persona_delta(name, old.get(name), new.get(name))
        for name in sorted(old.keys() | new.keys())
    ]
    old_channels = {r.label: r for r in before.channel_table.rows}
    new_channels = {r.label: r for r in after.channel_table.rows}
    channels = []

    def order(label: str) -> tuple[bool, str]:
        row = old_channels.get(label) or new_channels[label]
        return bool(row.note), label  # channels first, then what no channel holds

    for label in sorted(old_channels.keys() | new_channels.keys(), key=order):
        a, b = old_channels.get(label), new_channels.get(label)
        channels.append(Delta(
            label, a.total if a else ZERO, b.total if b else ZERO,
            a.of_plan if a else None, b.of_plan if b else None,
        ))  # fmt: skip
    return Comparison(before, after, totals, split, personas, channels)

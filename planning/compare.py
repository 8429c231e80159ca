"""Two plans side by side, line by line: what moved between present and future."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from planning.allocation import Bucket
from planning.selectors import PlanView


@dataclass
class Delta:
    label: str
    before: Decimal
    after: Decimal

    @property
    def change(self) -> Decimal:
        return self.after - self.before


@dataclass
class PersonaDelta:
    name: str
    present: Delta
    future: Delta
    lines: list[tuple[str, Delta]]  # (bucket, delta) per channel or experiment line


@dataclass
class Comparison:
    before: PlanView
    after: PlanView
    totals: list[Delta]
    personas: list[PersonaDelta]
    channels: list[Delta]


def compare_plans(before: PlanView, after: PlanView) -> Comparison:
    totals = [
        Delta("Total", before.total, after.total),
        Delta("Where they are", before.present, after.present),
        Delta("Where they are going", before.future, after.future),
    ]
    old = {row.name: row for row in before.personas}
    new = {row.name: row for row in after.personas}
    personas = []
    for name in sorted(old.keys() | new.keys()):
        a, b = old.get(name), new.get(name)
        a_lines = {(line.bucket, line.label): line.amount for line in (a.lines if a else [])}
        b_lines = {(line.bucket, line.label): line.amount for line in (b.lines if b else [])}
        lines = [
            (
                bucket,
                Delta(
                    label,
                    a_lines.get((bucket, label), Decimal(0)),
                    b_lines.get((bucket, label), Decimal(0)),
                ),
            )
            for bucket, label in sorted(
                a_lines.keys() | b_lines.keys(), key=lambda k: (k[0] != Bucket.PRESENT, k[1])
            )
        ]
        personas.append(
            PersonaDelta(
                name,
                Delta(
                    "Where they are", a.present if a else Decimal(0), b.present if b else Decimal(0)
                ),
                Delta(
                    "Where they are going",
                    a.future if a else Decimal(0),
                    b.future if b else Decimal(0),
                ),
                lines,
            )
        )
    old_channels = {r.label: r.total for r in before.channels}
    new_channels = {r.label: r.total for r in after.channels}
    channels = [
        Delta(label, old_channels.get(label, Decimal(0)), new_channels.get(label, Decimal(0)))
        for label in sorted(old_channels.keys() | new_channels.keys())
    ]
    return Comparison(before, after, totals, personas, channels)

"""Time the allocation engine at three sizes and show how it grows.

    python -m planning.bench        (or: make bench)

Each persona has N core channels with decimal shares and three funded
experiments. Growth is linear when the time per channel line stays flat.
"""

from __future__ import annotations

import random
import time
from decimal import Decimal

from planning.allocation import ChannelShare, ExperimentShare, PersonaInput, allocate

SIZES = [(10, 10), (1_000, 30), (10_000, 50)]


def build(personas: int, channels: int, seed: int = 7) -> list[PersonaInput]:
    rnd = random.Random(seed)  # noqa: S311 - sample data, not secrets
    return [
        PersonaInput(
            key=p,
            weight=rnd.randint(1, 5),
            present_share=rnd.choice([70, 80, 85, 90]),
            channels=[
                ChannelShare(c, Decimal(rnd.randint(0, 4000)) / 100) for c in range(channels)
            ],
            experiments=[
                ExperimentShare(f"e{p % 97}-{e}", Decimal(rnd.randint(10, 90)) / 10)
                for e in range(3)
            ],
        )
        for p in range(personas)
    ]


def measure(personas: int, channels: int, repeat: int = 3) -> float:
    data = build(personas, channels)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        allocate(123_456_789, data)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    print(f"{'personas × channels':>22} {'lines':>9} {'time':>10} {'µs / line':>10} {'growth':>8}")
    previous = None
    for personas, channels in SIZES:
        seconds = measure(personas, channels, repeat=3 if personas < 10_000 else 1)
        lines = personas * channels
        per_line = seconds / lines * 1e6
        growth = "" if previous is None else f"{per_line / previous:.2f}×"
        print(
            f"{personas:>11,} × {channels:<8} {lines:>9,} {seconds * 1000:>8.1f} ms {per_line:>10.2f} {growth:>8}"
        )
        previous = per_line
    print("growth: time per line relative to the previous size (1.00× or less is linear)")


if __name__ == "__main__":
    main()

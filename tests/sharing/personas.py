"""Personas at the limits of what a one-pager must hold."""

from __future__ import annotations

from personas.models import Persona
from tests.factories import (
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    PersonaFactory,
)


def _max(field: str) -> int:
    return Persona._meta.get_field(field).max_length


WORDS = ["procurement", "attribution", "forecasting", "quarterly", "integration", "pipeline",
         "Wednesday", "benchmark", "onboarding", "warehouse", "spreadsheets", "compliance"]  # fmt: skip


def prose(length: int, per_line: int | None = None) -> str:
    """Text of exactly ``length`` characters, of long words; lines of ``per_line``."""
    words, i = [], 0
    while len(" ".join(words)) < length:
        words.append(WORDS[i % len(WORDS)])
        i += 1
    text = " ".join(words)[:length]
    if per_line:
        text = "\n".join(text[i : i + per_line].strip() for i in range(0, len(text), per_line))[
            :length
        ]
    return text


def make_maxed_persona(workspace):
    """Every field of the persona at its maximum length, a full channel mix and
    many running experiments."""
    fields = {
        name: prose(_max(name)) for name in ["summary", "quote", "says", "thinks", "does", "feels"]
    }
    fields |= {
        name: prose(_max(name), per_line=120)
        for name in ["goals", "challenges", "objections", "buying_triggers"]
    }
    persona = PersonaFactory(
        workspace=workspace,
        name=prose(_max("name")),
        role_title=prose(_max("role_title")),
        segment=prose(_max("segment")),
        company_size="5000+",
        **fields,
    )
    names = ["LinkedIn", "Email newsletter", "Webinars", "Trade shows", "Search", "Podcasts",
             "YouTube", "TikTok", "Instagram", "Communities", "Partner events", "Direct mail"]  # fmt: skip
    for i, name in enumerate(names):
        ChannelUsageFactory(
            persona=persona,
            channel=ChannelFactory(workspace=workspace, name=name),
            share=5 + i,
            stage="core" if i < 7 else "emerging",
            trend=("rising", "steady", "declining")[i % 3],
        )
    for i in range(6):
        ExperimentFactory(
            workspace=workspace,
            title=prose(118) + f" {i}",
            status="running",
            personas=[persona],
        )
    return persona


def make_extreme_persona(workspace):
    """Worse than any real persona: every text one unbroken word of the widest
    letter at its maximum length, channel and experiment names too."""
    texts = ["summary", "quote", "says", "thinks", "does", "feels", "goals", "challenges",
             "objections", "buying_triggers", "name", "role_title", "segment"]  # fmt: skip
    fields = {name: "W" * _max(name) for name in texts}
    persona = PersonaFactory(workspace=workspace, company_size="5000+", **fields)
    for i in range(10):
        ChannelUsageFactory(
            persona=persona,
            channel=ChannelFactory(workspace=workspace, name=f"{i}" + "W" * 79),
            share=5,
            stage="core" if i < 5 else "emerging",
        )
    for i in range(5):
        ExperimentFactory(
            workspace=workspace, title=f"{i}" + "W" * 119, status="running", personas=[persona]
        )
    return persona

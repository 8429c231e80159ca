"""A plan as its page shows it: the allocation, lines, roll-ups and warnings.

A draft (or returned, or in-review) plan is computed live from the personas,
their core channels and the funded experiments, with any what-if values the
user is trying; an approved plan reads its stored lines. Either way the page
gets the same ``PlanView``, built in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse

from channels.models import ChannelUsage, Stage
from experiments.models import FUNDED, ExperimentTarget
from personas.models import Persona, RatioSource
from planning.allocation import (
    FUTURE,
    PRESENT,
    AllocationError,
    ChannelShare,
    ExperimentShare,
    PersonaInput,
    allocate,
    from_minor,
    to_minor,
)
from planning.models import Plan, PlanLine, PlanPersona
from planning.ratios import resolve_present_share

HUNDRED = Decimal(100)


def pct(part: Decimal, whole: Decimal) -> float | None:
    """A share in percent, for display (a float: cheap, and never summed back)."""
    return float(part) * 100 / float(whole) if whole else None


@dataclass
class WhatIf:
    """Values being tried on a draft plan, not saved."""

    present_share: int | None = None
    weights: dict[int, Decimal] = field(default_factory=dict)  # by PlanPersona pk
    shares: dict[int, int | None] = field(default_factory=dict)  # by PlanPersona pk


@dataclass(slots=True)
class LineView:
    bucket: str
    kind: str
    label: str
    amount: Decimal
    of_persona: Decimal | None
    of_plan: Decimal | None
    url: str = ""
    channel_id: int | None = None  # the channel, or the experiment's channel
    channel_label: str = ""
    experiment_id: int | None = None
    persona_id: int | None = None
    actual: Decimal | None = None  # recorded for this persona on this line

    @property
    def remaining(self) -> Decimal | None:
        return None if self.actual is None else self.amount - self.actual


@dataclass
class PersonaRow:
    member_id: int | None
    persona: Persona | None
    name: str
    weight: Decimal
    share: Decimal
    source: str
    source_label: str
    url: str = ""
    override: int | None = None
    suggestion: int | None = None
    stage_label: str = ""
    amount: Decimal = Decimal(0)
    present: Decimal = Decimal(0)
    future: Decimal = Decimal(0)
    lines: list[LineView] = field(default_factory=list)
    persona_id: int | None = None
    actual_present: Decimal = Decimal(0)
    actual_future: Decimal = Decimal(0)

    @property
    def actual(self) -> Decimal:
        return self.actual_present + self.actual_future

    @property
    def actual_share(self) -> float | None:
        return pct(self.actual_present, self.actual)

    @property
    def present_lines(self) -> list[LineView]:
        return [line for line in self.lines if line.bucket == PRESENT]

    @property
    def future_lines(self) -> list[LineView]:
        return [line for line in self.lines if line.bucket == FUTURE]

    @property
    def future_share(self) -> Decimal:
        return HUNDRED - self.share

    @property
    def follows_suggestion(self) -> bool:
        return self.suggestion is None or Decimal(self.suggestion) == self.share


@dataclass
class RollupRow:
    label: str
    present: Decimal
    future: Decimal
    of_plan: float | None
    url: str = ""
    key: int | None = None  # the channel or experiment id
    actual: Decimal | None = None

    @property
    def remaining(self) -> Decimal | None:
        return None if self.actual is None else self.total - self.actual

    @property
    def total(self) -> Decimal:
        return self.present + self.future


@dataclass
class Warning:
    text: str
    url: str = ""
    action: str = ""


@dataclass
class PlanView:
    plan: Plan
    total: Decimal
    target_share: int
    personas: list[PersonaRow] = field(default_factory=list)
    channels: list[RollupRow] = field(default_factory=list)
    experiments: list[RollupRow] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    present: Decimal = Decimal(0)
    future: Decimal = Decimal(0)
    error: str = ""
    stored: bool = False
    whatif: bool = False
    actual_present: Decimal = Decimal(0)
    actual_future: Decimal = Decimal(0)

    @property
    def actual(self) -> Decimal:
        return self.actual_present + self.actual_future

    @property
    def actual_share(self) -> float | None:
        """The actual present share, in percent, once effort is recorded."""
        return pct(self.actual_present, self.actual)

    @property
    def drift(self) -> float | None:
        """Points between the actual present share and the target."""
        share = self.actual_share
        return None if share is None else share - self.target_share

    @property
    def planned_drift(self) -> float | None:
        share = self.planned_present_share
        return None if share is None else share - self.target_share

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.actual

    @property
    def allocated(self) -> Decimal:
        return self.present + self.future

    @property
    def planned_present_share(self) -> float | None:
        return pct(self.present, self.total)

    @property
    def planned_future_share(self) -> float | None:
        share = self.planned_present_share
        return None if share is None else 100 - share

    @property
    def lines(self) -> list[tuple[PersonaRow, LineView]]:
        return [(row, line) for row in self.personas for line in row.lines]


def plan_members(plan: Plan) -> list[PlanPersona]:
    """The plan's personas with their settings, by name. One query."""
    members = list(
        PlanPersona.objects.in_workspace(plan.workspace)
        .filter(plan=plan)
        .select_related("persona")
        .order_by("persona__name", "pk")
    )
    for member in members:
        member.persona.workspace = plan.workspace
    return members


def plan_view(
    plan: Plan, whatif: WhatIf | None = None, members: list[PlanPersona] | None = None
) -> PlanView:
    """``members`` may be passed when the caller already loaded them."""
    if plan.is_frozen:
        return _stored_view(plan)
    return _live_view(plan, whatif, plan_members(plan) if members is None else members)


def _live_view(plan: Plan, whatif: WhatIf | None, members: list[PlanPersona]) -> PlanView:
    workspace = plan.workspace
    whatif = whatif or WhatIf()
    plan_share = whatif.present_share if whatif.present_share is not None else plan.present_share
    target = plan_share if plan_share is not None else workspace.default_present_share
    view = PlanView(
        plan=plan,
        total=plan.total_effort,
        target_share=target,
        whatif=bool(whatif.weights or whatif.shares or whatif.present_share is not None),
    )

    active = [m for m in members if not m.persona.archived]
    for member in members:
        if member.persona.archived:
            view.warnings.append(
                Warning(
                    f"{member.persona.name} is archived and left out of this plan.",
                    member.persona.get_absolute_url(),
                    "Restore",
                )
            )
    persona_ids = [m.persona_id for m in active]
    # Plain values, not model instances: a large plan has thousands of usages.
    usages: dict[int, list[tuple[int, int]]] = defaultdict(list)
    channel_names: dict[int, str] = {}
    for persona_id, channel_id, share, channel_name in (
        ChannelUsage.objects.in_workspace(workspace)
        .filter(persona_id__in=persona_ids, stage=Stage.CORE)
        .values_list("persona_id", "channel_id", "share", "channel__name")
    ):
        # Shares are stored with two decimals: whole hundredths keep the
        # engine on its integer fast path.
        usages[persona_id].append((channel_id, int(share.scaleb(2))))
        channel_names[channel_id] = channel_name
    targets: dict[int, list[ExperimentTarget]] = defaultdict(list)
    for target_row in (
        ExperimentTarget.objects.in_workspace(workspace)
        .filter(persona_id__in=persona_ids, experiment__status__in=FUNDED)
        .select_related("experiment__channel")
        .order_by("experiment__title")
    ):
        targets[target_row.persona_id].append(target_row)

    rows: dict[int, PersonaRow] = {}
    inputs = []
    for member in active:
        persona = member.persona
        weight = whatif.weights.get(member.pk, member.weight)
        override = whatif.shares.get(member.pk, member.present_share_override)
        share, source = resolve_present_share(
            plan_persona=override,
            persona=persona.present_share_override,
            plan=plan_share,
            workspace=workspace.default_present_share,
        )
        rows[persona.pk] = PersonaRow(
            member_id=member.pk,
            persona=persona,
            name=persona.name,
            weight=weight,
            share=Decimal(share),
            source=source,
            source_label=RatioSource(source).label,
            override=override,
            suggestion=workspace.suggested_present_share(persona.adoption_stage),
            stage_label=persona.get_adoption_stage_display(),
            url=persona.get_absolute_url(),
            persona_id=persona.pk,
        )
        inputs.append(
            PersonaInput(
                key=persona.pk,
                weight=weight,
                present_share=share,
                channels=[
                    ChannelShare(channel_id, share) for channel_id, share in usages[persona.pk]
                ],
                experiments=[
                    ExperimentShare(
                        t.experiment_id, t.experiment.effective_weight, t.experiment.channel_id
                    )
                    for t in targets[persona.pk]
                ],
            )
        )
    view.personas = list(rows.values())
    if not inputs:
        view.error = "No persona in this plan: add personas to allocate its effort."
        return view
    try:
        result = allocate(to_minor(plan.total_effort), inputs)
    except AllocationError as problem:
        view.error = str(problem)
        return view

    experiments = {t.experiment_id: t.experiment for rows_ in targets.values() for t in rows_}
    # A channel reached only through an experiment on it still has a name.
    for experiment in experiments.values():
        if experiment.channel is not None:
            channel_names.setdefault(experiment.channel_id, experiment.channel.name)
    slug = workspace.slug
    # One reverse() per channel and experiment, not per line.
    channel_url = {key: reverse("channels:detail", args=[slug, key]) for key in channel_names}
    experiment_url = {key: reverse("experiments:detail", args=[slug, key]) for key in experiments}
    total = plan.total_effort
    for key, totals in result.personas.items():
        row = rows[key]
        row.amount, row.present, row.future = (
            from_minor(totals.amount),
            from_minor(totals.present),
            from_minor(totals.future),
        )
    for line in result.lines:
        row = rows[line.persona]
        amount = from_minor(line.amount)
        channel_id = None
        if line.kind == "channel":
            channel_id, label, url = (
                line.target,
                channel_names[line.target],
                channel_url[line.target],
            )
        elif line.kind == "experiment":
            experiment = experiments[line.target]
            channel_id, label, url = (
                experiment.channel_id,
                experiment.title,
                experiment_url[line.target],
            )
        elif line.kind == "unplaced":
            label, url = "Unplaced: no channel data", f"{row.url}#section-mix"
        else:
            label, url = (
                "Unassigned exploration",
                f"{reverse('experiments:create', args=[slug])}?persona={line.persona}",
            )
        row.lines.append(
            LineView(
                bucket=line.bucket, kind=line.kind, label=label, amount=amount,
                of_persona=pct(amount, row.amount), of_plan=pct(amount, total), url=url,
                channel_id=channel_id, channel_label=channel_names.get(channel_id, "") if channel_id else "",
                experiment_id=line.target if line.kind == "experiment" else None,
                persona_id=line.persona,
            )
        )  # fmt: skip
    view.present, view.future = (
        from_minor(result.buckets[PRESENT]),
        from_minor(result.buckets[FUTURE]),
    )
    view.channels = sorted(
        (
            RollupRow(
                channel_names[key],
                from_minor(t.present),
                from_minor(t.future),
                pct(from_minor(t.total), plan.total_effort),
                channel_url[key],
                key,
            )
            for key, t in result.channels.items()
        ),
        key=lambda r: (-r.total, r.label),
    )
    view.experiments = sorted(
        (
            RollupRow(
                experiments[key].title,
                Decimal(0),
                from_minor(amount),
                pct(from_minor(amount), plan.total_effort),
                experiment_url[key],
                key,
            )
            for key, amount in result.experiments.items()
        ),
        key=lambda r: (-r.total, r.label),
    )
    for row in view.personas:
        for line in row.lines:
            if line.kind == "unplaced":
                view.warnings.append(
                    Warning(
                        f"{line.amount:,.2f} of {row.name}'s present effort is unplaced: no core channel with a share.",
                        line.url,
                        "Record channels",
                    )
                )
            elif line.kind == "unassigned":
                view.warnings.append(
                    Warning(
                        f"{line.amount:,.2f} of {row.name}'s exploration has no experiment.",
                        line.url,
                        "Plan an experiment",
                    )
                )
    return view


def _stored_view(plan: Plan) -> PlanView:
    """An approved plan: its stored lines, whatever has changed since."""
    workspace = plan.workspace
    view = PlanView(
        plan=plan, total=plan.total_effort, target_share=plan.effective_present_share, stored=True
    )
    rows: dict[str, PersonaRow] = {}
    channels: dict[str, RollupRow] = {}
    experiments: dict[str, RollupRow] = {}
    slug = workspace.slug
    for line in (
        PlanLine.objects.in_workspace(workspace).filter(plan=plan).order_by("position", "pk")
    ):
        name_key = f"{line.persona_id}:{line.persona_name}"
        row = rows.get(name_key)
        if row is None:
            row = rows[name_key] = PersonaRow(
                member_id=None,
                persona=None,
                name=line.persona_name,
                weight=line.persona_weight,
                share=line.persona_present_share,
                source=line.persona_share_source,
                source_label=RatioSource(line.persona_share_source).label,
            )
            row.persona_id = line.persona_id
            row.url = (
                reverse("personas:detail", args=[slug, line.persona_id]) if line.persona_id else ""
            )
        row.amount += line.amount
        if line.bucket == PRESENT:
            row.present += line.amount
            view.present += line.amount
        else:
            row.future += line.amount
            view.future += line.amount
        if line.kind == "channel":
            label = line.channel_name
            url = (
                reverse("channels:detail", args=[slug, line.channel_id]) if line.channel_id else ""
            )
            rollup = channels.setdefault(
                label, RollupRow(label, Decimal(0), Decimal(0), None, url, line.channel_id)
            )
            rollup.present += line.amount
        elif line.kind == "experiment":
            label = line.experiment_name
            url = (
                reverse("experiments:detail", args=[slug, line.experiment_id])
                if line.experiment_id
                else ""
            )
            rollup = experiments.setdefault(
                label, RollupRow(label, Decimal(0), Decimal(0), None, url, line.experiment_id)
            )
            rollup.future += line.amount
            if line.channel_name:
                channel_url = (
                    reverse("channels:detail", args=[slug, line.channel_id])
                    if line.channel_id
                    else ""
                )
                channels.setdefault(
                    line.channel_name,
                    RollupRow(
                        line.channel_name,
                        Decimal(0),
                        Decimal(0),
                        None,
                        channel_url,
                        line.channel_id,
                    ),
                ).future += line.amount
        else:
            label = (
                "Unplaced: no channel data" if line.kind == "unplaced" else "Unassigned exploration"
            )
            url = ""
        row.lines.append(
            LineView(
                line.bucket, line.kind, label, line.amount, None, pct(line.amount, plan.total_effort), url,
                line.channel_id, line.channel_name, line.experiment_id, line.persona_id,
            )
        )  # fmt: skip
    for row in rows.values():
        for line in row.lines:
            line.of_persona = pct(line.amount, row.amount)
    for rollup in [*channels.values(), *experiments.values()]:
        rollup.of_plan = pct(rollup.total, plan.total_effort)
    view.personas = list(rows.values())
    view.channels = sorted(channels.values(), key=lambda r: (-r.total, r.label))
    view.experiments = sorted(experiments.values(), key=lambda r: (-r.total, r.label))
    return view


def with_actuals(view: PlanView, totals) -> PlanView:
    """Put the effort recorded against the plan beside the planned figures.

    ``totals`` is an ``ActualTotals``. Lines get the actuals recorded for their
    persona; channel and experiment roll-ups get every actual on them, with a
    persona or not (an experiment's actuals also count for its channel).
    """
    view.actual_present, view.actual_future = totals.present, totals.future
    for row in view.personas:
        if row.persona_id is not None:
            row.actual_present, row.actual_future = totals.by_persona.get(
                row.persona_id, (Decimal(0), Decimal(0))
            )
        for line in row.lines:
            if line.kind == "channel":
                line.actual = totals.by_line.get(
                    (row.persona_id, "channel", line.channel_id), Decimal(0)
                )
            elif line.kind == "experiment":
                line.actual = totals.by_line.get(
                    (row.persona_id, "experiment", line.experiment_id), Decimal(0)
                )
    experiment_channel: dict[int, int] = {}
    for _row, line in view.lines:
        if line.kind == "experiment" and line.channel_id and line.experiment_id:
            experiment_channel[line.experiment_id] = line.channel_id
    for rollup in view.experiments:
        rollup.actual = totals.by_experiment.get(rollup.key, Decimal(0))
    for rollup in view.channels:
        rollup.actual = totals.by_channel.get(rollup.key, Decimal(0)) + sum(
            (
                amount
                for exp, amount in totals.by_experiment.items()
                if experiment_channel.get(exp) == rollup.key
            ),
            Decimal(0),
        )
    return view

"""Every write to a workspace's data bumps its revision in the same transaction,
and the pages cached under the revision show each change on the next read and
never reach another workspace, role or person."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from channels import imports as mix_import
from channels import services as channel_services
from channels.models import Channel, ChannelUsage, UsageObservation
from experiments import services as experiment_services
from experiments.models import ExperimentResult
from personas import imports as persona_import
from personas import services as persona_services
from personas.models import Persona, ResearchNote
from planning import actuals as actual_services
from planning import services as plan_services
from planning.models import Actual, Plan, PlanLine
from planning.selectors import WhatIf
from tests.factories import (
    ActualFactory,
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    ExperimentResultFactory,
    PersonaFactory,
    PlanFactory,
    ResearchNoteFactory,
)
from workspaces import services as workspace_services
from workspaces.models import Workspace
from workspaces.revision import CSRF_PLACEHOLDER
from workspaces.versioning import set_archived

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(workspace, owner, marketer):
    """A little of everything, made before the revision is read."""
    user = owner
    marketer = marketer.memberships.get(workspace=workspace)
    persona = PersonaFactory(workspace=workspace, name="Operations Olivia")
    channel = ChannelFactory(workspace=workspace, name="LinkedIn")
    usage = ChannelUsageFactory(persona=persona, channel=channel, share=3)
    experiment = ExperimentFactory(workspace=workspace, status="running", personas=[persona])
    result = ExperimentResultFactory(experiment=experiment)
    plan = PlanFactory(
        workspace=workspace, personas=[persona], total_effort=Decimal("100"),
        start=date(2027, 1, 1), end=date(2027, 3, 31),
    )  # fmt: skip
    actual = ActualFactory(plan=plan, channel=channel, amount=5, date=date(2027, 1, 5))
    note = ResearchNoteFactory(persona=persona)
    return locals()


def _v(instance) -> int:
    return type(instance).objects.get(pk=instance.pk).version


# Each service that writes workspace data, called on the world.
SERVICES = {
    "persona_create": lambda w: persona_services.persona_create(
        workspace=w["workspace"], user=w["user"], persona=Persona(name="New Nadia")
    ),
    "persona_update": lambda w: persona_services.persona_update(
        persona=_rename(w["persona"], "Olivia Renamed"), expected_version=_v(w["persona"]),
        user=w["user"], fields=["name"],
    ),
    "persona_mark_reviewed": lambda w: persona_services.persona_mark_reviewed(
        persona=w["persona"], user=w["user"]
    ),
    "persona_duplicate": lambda w: persona_services.persona_duplicate(
        persona=w["persona"], user=w["user"]
    ),
    "persona_delete": lambda w: persona_services.persona_delete(
        persona=w["persona"], user=w["user"]
    ),
    "research_note_add": lambda w: persona_services.research_note_add(
        persona=w["persona"], note=ResearchNote(workspace=w["workspace"], kind="interviews", summary="Heard on a call"),
        user=w["user"],
    ),
    "research_note_delete": lambda w: persona_services.research_note_delete(
        note=w["note"], user=w["user"]
    ),
    "channel_save": lambda w: channel_services.channel_save(
        channel=Channel(name="TikTok"), workspace=w["workspace"], user=w["user"]
    ),
    "channel_delete": lambda w: channel_services.channel_delete(
        channel=w["channel"], user=w["user"]
    ),
    "mix_import": lambda w: mix_import.commit(
        w["workspace"], [{"persona": "Operations Olivia", "channel": "LinkedIn", "share": "9",
                          "stage": "core", "trend": "rising", "evidence": "",
                          "last_verified": "", "notes": ""}], user=w["user"],
    ),
    "persona_import": lambda w: persona_import.commit(
        w["workspace"], [{"name": "OPERATIONS OLIVIA"}, {"name": "Imported Ines"}],
        user=w["user"],
    ),
    "channel_update": lambda w: channel_services.channel_update(
        channel=_renamed(w["channel"], "LinkedIn Ads"), user=w["user"], fields=["name"]
    ),
    "channel_archive": lambda w: set_archived(w["channel"], archived=True, user=w["user"]),
    "channel_merge": lambda w: channel_services.channel_merge(
        source=w["channel"], target=ChannelFactory(workspace=w["workspace"]), user=w["user"]
    ),
    "usage_add": lambda w: channel_services.usage_add(
        persona=w["persona"], usage=ChannelUsage(channel=ChannelFactory(workspace=w["workspace"]),
                                                 share=Decimal(2)), user=w["user"],
    ),
    "usage_remove": lambda w: channel_services.usage_remove(usage=w["usage"], user=w["user"]),
    "usage_graduate": lambda w: channel_services.usage_graduate(
        persona=w["persona"], channel=ChannelFactory(workspace=w["workspace"]),
        share=Decimal(4), user=w["user"],
    ),
    "experiment_move": lambda w: experiment_services.experiment_move(
        experiment=w["experiment"], status="planned", expected_version=_v(w["experiment"]),
        user=w["user"],
    ),
    "result_add": lambda w: experiment_services.result_add(
        experiment=w["experiment"],
        result=ExperimentResult(date=date(2027, 1, 9), value=Decimal(7)), user=w["user"],
    ),
    "result_delete": lambda w: experiment_services.result_delete(
        result=w["result"], user=w["user"]
    ),
    "experiment_delete": lambda w: experiment_services.experiment_delete(
        experiment=w["experiment"], user=w["user"]
    ),
    "plan_save_whatif": lambda w: plan_services.plan_save_whatif(
        plan=w["plan"], whatif=WhatIf(present_share=70), expected_version=_v(w["plan"]),
        user=w["user"],
    ),
    "plan_submit": lambda w: plan_services.plan_submit(
        plan=w["plan"], user=w["user"], expected_version=_v(w["plan"])
    ),
    "plan_copy": lambda w: plan_services.plan_copy(
        source=w["plan"], name="Copy", start=date(2027, 4, 1), end=date(2027, 6, 30),
        user=w["user"],
    ),
    "plan_delete": lambda w: plan_services.plan_delete(plan=w["plan"], user=w["user"]),
    "actual_save": lambda w: actual_services.actual_save(
        actual=Actual(channel=w["channel"], amount=Decimal(3), date=date(2027, 1, 6)),
        plan=w["plan"], user=w["user"],
    ),
    "actual_delete": lambda w: actual_services.actual_delete(actual=w["actual"], user=w["user"]),
    "membership_set_role": lambda w: workspace_services.membership_set_role(
        membership=w["marketer"], role="reviewer", by=w["user"]
    ),
    "workspace_update_settings": lambda w: workspace_services.workspace_update_settings(
        workspace=_tolerance(w["workspace"]), old_slug=w["workspace"].slug, by=w["user"]
    ),
}  # fmt: skip


def _renamed(channel, name):
    channel.name = name
    return channel


def _rename(persona, name):
    persona.name = name
    return persona


def _tolerance(workspace):
    workspace.drift_tolerance = 9
    return workspace


def _revision(workspace) -> int:
    return Workspace.objects.get(pk=workspace.pk).data_revision


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_write_service_bumps_the_revision(name, world, workspace, other_workspace):
    before, other_before = _revision(workspace), _revision(other_workspace)
    SERVICES[name](world)
    assert _revision(workspace) > before
    assert _revision(other_workspace) == other_before  # and no one else's


def test_the_bump_is_part_of_the_writes_transaction(world, workspace):
    before = _revision(workspace)
    with pytest.raises(RuntimeError), transaction.atomic():
        SERVICES["persona_create"](world)
        raise RuntimeError("rolled back")
    assert _revision(workspace) == before
    assert not Persona.objects.filter(name="New Nadia").exists()


def test_bulk_writes_bump_it_too(world, workspace):
    before = _revision(workspace)
    Persona.objects.in_workspace(workspace).update(priority=5)
    after_update = _revision(workspace)
    Persona.objects.bulk_create([Persona(workspace=workspace, name="Bulk Bea")])
    after_create = _revision(workspace)
    assert before < after_update < after_create


def test_saving_a_workspace_never_writes_back_an_older_revision(workspace, world):
    stale = Workspace.objects.get(pk=workspace.pk)
    SERVICES["persona_create"](world)
    bumped = _revision(workspace)
    stale.name = "Northwind Traders"
    stale.save()
    assert _revision(workspace) > bumped


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_each_cached_page_shows_a_change_on_the_next_read(
    owner_client, world, workspace, django_assert_max_num_queries
):
    persona, plan = world["persona"], world["plan"]
    pages = {
        "dashboard": reverse("planning:dashboard", args=[workspace.slug]) + f"?plan={plan.pk}",
        "plan": plan.get_absolute_url(),
        "persona": persona.get_absolute_url(),
    }
    for url in pages.values():
        assert "Operations Olivia" in _page(owner_client, url)
        with django_assert_max_num_queries(6):  # the cached part costs no query
            assert "Operations Olivia" in _page(owner_client, url)
    SERVICES["persona_update"](world)
    for url in pages.values():
        html = _page(owner_client, url)
        assert "Olivia Renamed" in html and "Operations Olivia" not in html


def test_a_cached_page_never_reaches_another_workspace(
    owner_client, outsider_client, world, workspace, other_workspace
):
    mine = _page(owner_client, reverse("planning:dashboard", args=[workspace.slug]))
    theirs = _page(outsider_client, reverse("planning:dashboard", args=[other_workspace.slug]))
    assert "Northwind" in mine and "Northwind" not in theirs.split("<main")[1]
    assert outsider_client.get(world["persona"].get_absolute_url()).status_code == 404


def test_a_cached_page_never_reaches_another_role(owner_client, reviewer_client, world):
    url = world["plan"].get_absolute_url()
    assert "Save ratios" in _page(owner_client, url)
    assert "Save ratios" not in _page(reviewer_client, url)  # the reviewer's own, not the owner's


def test_a_cached_page_carries_each_persons_own_csrf_token(world, owner, workspace):
    """Two people of the same role read the same cached part; each page's forms
    carry that person's own token, which their POST is accepted with."""
    from tests.factories import MembershipFactory, UserFactory

    second = MembershipFactory(workspace=workspace, role="owner", user=UserFactory())
    url = world["persona"].get_absolute_url()
    tokens = []
    for person in (owner, second.user):
        client = Client(enforce_csrf_checks=True)
        client.force_login(person)
        html = _page(client, url)
        assert CSRF_PLACEHOLDER not in html
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        tokens.append(token)
        mark = reverse("personas:mark_reviewed", args=[workspace.slug, world["persona"].pk])
        response = client.post(mark, {"csrfmiddlewaretoken": token})
        assert response.status_code in (302, 303)
    assert tokens[0] != tokens[1]


def test_a_request_that_writes_reads_afresh(marketer_client, world, workspace):
    """The what-if save redraws the plan page in the same request: it shows the
    saved ratio, not the page cached before."""
    plan = world["plan"]
    assert "80" in _page(marketer_client, plan.get_absolute_url())
    member = plan.members.get()
    response = marketer_client.post(
        reverse("planning:plan_save_whatif", args=[workspace.slug, plan.pk]),
        {"present_share": "65", "version": _v(plan), f"weight_{member.pk}": "1"},
        follow=True,
    )
    assert "Ratios and weights saved." in response.content.decode()
    assert '<span class="present">65</span>' in response.content.decode()


def test_the_day_is_part_of_the_key(rf, owner, workspace, monkeypatch):
    """Signals that depend on the date (a persona not reviewed for a while) are
    read again on a new day."""
    from workspaces import revision

    request = rf.get("/w/northwind/")
    request.workspace = workspace
    request.membership = workspace.memberships.get(user=owner)
    keys = set()
    for day in (date(2027, 1, 1), date(2027, 1, 2)):
        monkeypatch.setattr(revision.timezone, "localdate", lambda timezone=None, day=day: day)
        keys.add(revision.page_key(request, "planning/dashboard.html"))
    assert len(keys) == 2


def _whatif(client: Client, url: str) -> tuple[int, str]:
    response = client.get(url, {"present_share": "65"}, headers={"HX-Request": "true"})
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_a_whatif_after_each_write_shows_what_reading_afresh_shows(name, world, marketer):
    """The what-if keeps what it read of the plan under the revision: after any
    write the next what-if answers exactly as one that reads everything again."""
    from django.core.cache import cache

    client = Client()
    client.force_login(marketer)
    url = world["plan"].get_absolute_url()
    before = _whatif(client, url)
    assert before[0] == 200 and _whatif(client, url) == before  # kept, the same answer
    SERVICES[name](world)
    after = _whatif(client, url)
    cache.clear()
    fresh = _whatif(client, url)
    if name == "plan_delete":
        assert after[0] == fresh[0] == 404
    else:
        assert after == fresh


def test_a_whatif_shows_a_change_of_the_plans_inputs(world, marketer):
    client = Client()
    client.force_login(marketer)
    url = world["plan"].get_absolute_url()
    assert "LinkedIn" in _whatif(client, url)[1]
    SERVICES["channel_delete"](world)
    assert "LinkedIn" not in _whatif(client, url)[1]


def test_a_cached_persona_or_plan_page_reads_nothing_of_the_workspace(
    owner_client, outsider_client, world, workspace, django_assert_num_queries
):
    """Once cached, the page costs the session, the user and the membership
    (inside the request's savepoint): the part cached under this revision and
    address is proof enough that its persona or plan is this workspace's."""
    for obj in (world["persona"], world["plan"]):
        url = obj.get_absolute_url()
        _page(owner_client, url)
        with django_assert_num_queries(5):
            _page(owner_client, url)
        assert outsider_client.get(url).status_code == 404
    # Another workspace's persona, asked for under this one's address: refused.
    theirs = PersonaFactory(workspace=Workspace.objects.exclude(pk=workspace.pk).first())
    assert (
        owner_client.get(reverse("personas:detail", args=[workspace.slug, theirs.pk])).status_code
        == 404
    )
    url = world["persona"].get_absolute_url()
    SERVICES["persona_delete"](world)
    assert owner_client.get(url).status_code == 404


# --- Values kept until a write to the rows they are computed from ---------------


def _revisions(workspace) -> dict:
    return Workspace.objects.get(pk=workspace.pk).revisions


def test_each_write_records_its_kind_with_the_revision_it_made(world, workspace, other_workspace):
    theirs = _revisions(other_workspace)
    SERVICES["result_add"](world)
    after_result = _revision(workspace)
    assert _revisions(workspace)["experiments.experimentresult"] == after_result
    Persona.objects.in_workspace(workspace).update(priority=5)  # a bulk write: its model
    assert _revisions(workspace)["personas.persona"] == _revision(workspace) > after_result
    assert _revisions(workspace)["experiments.experimentresult"] == after_result
    assert _revisions(other_workspace) == theirs


def test_a_write_of_unknown_kind_counts_as_every_kind(workspace):
    from workspaces.revision import ANY_KIND, bump, revision_of

    bump([workspace.pk])
    workspace.refresh_from_db()
    assert workspace.revisions[ANY_KIND] == workspace.data_revision
    assert revision_of(workspace, [Persona]) == workspace.data_revision


def test_a_value_is_kept_until_a_write_to_what_it_reads(world, workspace):
    """Kept across writes to other kinds of rows; read again after a write to its
    own kinds, or of a kind not known."""
    from workspaces import revision
    from workspaces.revision import bump, cached_value

    computed = []

    def value():
        revision._new_request()  # each read a request of its own, which wrote nothing
        workspace.refresh_from_db()
        return cached_value(
            workspace, "names", lambda: computed.append(1) or len(computed), reads=[Persona]
        )

    assert value() == 1
    SERVICES["result_add"](world)
    SERVICES["channel_save"](world)
    assert value() == 1  # an experiment's result and a channel: not what it reads
    SERVICES["persona_update"](world)
    assert value() == 2
    bump([workspace.pk])
    assert value() == 3
    assert value() == 3


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_the_dashboards_pace_after_each_write_is_the_pace_read_afresh(
    name, world, workspace, owner_client
):
    """The workspace's pace is kept until a write to a row it is computed from:
    after every write service the dashboard shows what it shows with nothing kept."""
    from django.core.cache import cache

    _kept_and_fresh_pace(workspace)  # the pace kept before the write
    SERVICES[name](world)
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert kept == fresh
    url = reverse("planning:dashboard", args=[workspace.slug])
    page = _tokenless(_page(owner_client, url))
    cache.clear()
    assert _tokenless(_page(owner_client, url)) == page


def _kept_and_fresh_pace(workspace, day=None):
    """The pace as the dashboard reads it (kept, or brought up to date) and as
    worked out afresh, in a request of its own (on ``day``, or today)."""
    from planning.dashboard import active_personas
    from planning.pace_data import load_pace, workspace_pace_view
    from workspaces import revision

    revision._new_request()
    fresh = Workspace.objects.get(pk=workspace.pk)
    personas = active_personas(fresh)
    names = {pk: p.name for pk, p in personas.items()}
    marks = {pk: p.pace_revision for pk, p in personas.items()}
    kept = workspace_pace_view(fresh, names, marks, today=day)
    return kept, load_pace(fresh, names, all_active=True, today=day)


class _Reads(list):
    """The personas each read asked for; ``observed``: whose observations;
    ``planned``: whether it read the plans too."""

    def __init__(self) -> None:
        super().__init__()
        self.observed: list = []
        self.planned: list[bool] = []


@pytest.fixture
def pace_reads(monkeypatch):
    """The personas each read of the pace asks for: a list of ids, or "all" (in
    ``_kept_and_fresh_pace``, the kept one's read comes before the fresh one's)."""
    from planning import pace_data

    asked, union = _Reads(), pace_data._union

    def recorded(workspace, persona_ids, today, **kwargs):
        asked.append(sorted(persona_ids) if isinstance(persona_ids, list) else "all")
        observed = kwargs.get("observed")
        asked.observed.append(sorted(observed) if isinstance(observed, list) else "all")
        asked.planned.append(kwargs.get("planned", True))
        return union(workspace, persona_ids, today, **kwargs)

    monkeypatch.setattr(pace_data, "_union", recorded)
    return asked


def test_a_write_to_one_personas_mix_reads_her_pace_alone_again(workspace, pace_reads):
    from tests.planning import pace_world

    pace_world.build(workspace)
    personas = list(Persona.objects.in_workspace(workspace).filter(archived=False))
    assert len(personas) >= 2
    _kept_and_fresh_pace(workspace)
    assert pace_reads[-1] == "all"
    usage = ChannelUsage.objects.in_workspace(workspace).filter(persona=personas[0]).first()
    observation = usage.observations.order_by("pk").last()
    observation.share += 5
    observation.save()
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert pace_reads[-2] == [personas[0].pk]
    assert kept == fresh
    count = len(pace_reads)
    assert _kept_and_fresh_pace(workspace)[0] == fresh
    assert len(pace_reads) == count + 1  # only the fresh one: the kept pace is up to date
    # Her usage archived: her pace again, hers alone.
    usage.archived = True
    usage.save()
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert pace_reads[-2] == [personas[0].pk]
    assert kept == fresh


def test_a_bulk_write_to_mixes_reads_every_personas_pace_again(workspace, pace_reads):
    from tests.planning import pace_world

    pace_world.build(workspace)
    _kept_and_fresh_pace(workspace)
    usages = ChannelUsage.objects.in_workspace(workspace).order_by("pk")
    UsageObservation.objects.bulk_create(
        UsageObservation(workspace=workspace, usage=u, observed_on=u.observations.last().observed_on,
                         share=u.observations.last().share + 3, stage=u.observations.last().stage,
                         trend="steady")
        for u in usages[:3]
    )  # fmt: skip
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert pace_reads[-2] == "all" and pace_reads.observed[-2] == "all"
    assert not pace_reads.planned[-2]  # the plans' lines kept: nothing planned changed
    assert kept == fresh
    ChannelUsage.objects.in_workspace(workspace).filter(pk=usages[0].pk).update(archived=True)
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert pace_reads[-2] == "all" and not pace_reads.planned[-2]
    assert kept == fresh
    # A line written, then every mix: both read again.
    line = PlanLine.objects.in_workspace(workspace).filter(bucket="future").order_by("pk").first()
    line.amount += 7
    line.save()
    UsageObservation.objects.in_workspace(workspace).filter(
        pk=usages[1].observations.last().pk
    ).update(share=9)
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert pace_reads.observed[-2] == "all" and pace_reads.planned[-2]
    assert kept == fresh


def test_a_persona_saved_from_an_older_copy_does_not_write_her_mark_back(workspace, pace_reads):
    """A persona read before her mix changed and saved whole afterwards leaves her
    mark as stored, and moves it on: her pace, hers alone, is worked out again."""
    from tests.planning import pace_world

    pace_world.build(workspace)
    persona = Persona.objects.in_workspace(workspace).filter(archived=False).first()
    usage = ChannelUsage.objects.in_workspace(workspace).filter(persona=persona).first()
    _kept_and_fresh_pace(workspace)
    observation = usage.observations.order_by("pk").last()
    observation.share += 5
    observation.save()
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert pace_reads[-2] == [persona.pk] and kept == fresh
    persona.name = "Zoe from an older copy"
    persona.save()
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert pace_reads[-2] == [persona.pk] and kept == fresh
    assert kept.persona(persona.pk).name == "Zoe from an older copy"
    assert [p.key for p in kept.pace.personas][-1] == persona.pk  # in order of name
    observation.share -= 5
    observation.save()
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert pace_reads[-2] == [persona.pk] and kept == fresh
    assert Persona.objects.get(pk=persona.pk).pace_revision == persona.pace_revision + 3


def test_a_persona_archived_leaves_the_pace_without_reading_anyone_again(workspace, pace_reads):
    from tests.planning import pace_world

    pace_world.build(workspace)
    persona = Persona.objects.in_workspace(workspace).filter(archived=False).first()
    before, _ = _kept_and_fresh_pace(workspace)
    assert before.persona(persona.pk) is not None
    persona.archived = True
    persona.save()
    count = len(pace_reads)
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert len(pace_reads) == count + 1  # the fresh one alone
    assert kept == fresh and kept.persona(persona.pk) is None
    Persona.objects.in_workspace(workspace).update(priority=4)  # a bulk write: every persona
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert pace_reads[-2] == "all" and kept == fresh


def test_a_draft_plan_edited_reads_no_personas_pace_again(workspace, pace_reads):
    """A plan still to be settled is only the next plan the pace's links name:
    edited, the plans are read again, no persona's pace; an approved plan
    changed works out every persona's again."""
    from planning.pace import quarter_of
    from tests.factories import PlanFactory
    from tests.planning import pace_world

    pace_world.build(workspace)
    next_quarter = quarter_of(timezone.localdate(), 1)
    draft = PlanFactory(workspace=workspace, name="Next plan", start=next_quarter.start,
                        end=next_quarter.end, status="draft")  # fmt: skip
    before, _ = _kept_and_fresh_pace(workspace)
    named = [a.label for a in before.actions.values() if "Next plan" in a.label]
    assert named  # a persona's link names the plan
    draft.name = "Renamed plan"
    draft.total_effort += 1
    draft.save()
    count = len(pace_reads)
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert len(pace_reads) == count + 1  # the fresh one alone
    assert kept == fresh
    assert [a.label for a in kept.actions.values() if "Renamed plan" in a.label]
    approved = Plan.objects.in_workspace(workspace).filter(status="approved").first()
    approved.archived = True
    approved.save()
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert pace_reads[-2] == "all" and kept == fresh


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_the_dashboards_kept_experiments_after_each_write_are_read_afresh(name, world, workspace):
    """The experiments and their targets the dashboard's signals are worked out
    from are kept until a write to a row they are read from: after every write
    service they are what a fresh read gives."""
    from experiments import insights
    from workspaces import revision

    def kept_and_fresh():
        revision._new_request()
        fresh = Workspace.objects.get(pk=workspace.pk)
        return (
            insights.kept_experiments_and_targets(fresh),
            insights.experiments_and_targets(fresh),
        )

    kept_and_fresh()  # kept before the write
    SERVICES[name](world)
    kept, fresh = kept_and_fresh()
    assert kept == fresh


def test_the_dashboards_kept_experiments_name_every_kind_of_row_they_read(world, workspace):
    from experiments import insights

    read = _models_read(lambda: insights.experiments_and_targets(workspace))
    assert read and read <= set(insights.EXPERIMENT_READS)


def test_an_approved_plans_lines_changed_read_no_observations_but_those_marked(
    workspace, pace_reads
):
    """Lines of an approved plan written (as an approval writes them): every
    persona's pace is worked out again from the plans, the figures of her
    observations kept, read again only for the personas whose mark moved."""
    from tests.planning import pace_world

    pace_world.build(workspace)
    persona = Persona.objects.in_workspace(workspace).filter(archived=False).first()
    before, _ = _kept_and_fresh_pace(workspace)
    assert pace_reads.observed[-2] == "all"
    observation = UsageObservation.objects.filter(usage__persona=persona).order_by("pk").last()
    observation.share += 30
    observation.save()
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert pace_reads[-2] == [persona.pk] and kept == fresh
    assert kept.persona(persona.pk) != before.persona(persona.pk)  # her figures moved
    line = PlanLine.objects.in_workspace(workspace).filter(bucket="future").order_by("pk").first()
    line.amount += 40
    line.save()
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert pace_reads[-2] == "all" and pace_reads.observed[-2] == [persona.pk]
    assert kept == fresh
    line.amount -= 40
    line.save()
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert pace_reads[-2] == "all" and pace_reads.observed[-2] == []
    assert kept == fresh
    # Their figures are kept for the day: a new day reads every observation again.


def _tokenless(html: str) -> str:
    """A page without what differs on every response: CSRF tokens, nonces."""
    html = re.sub(r'nonce="[^"]*"', 'nonce=""', html)
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "token", html)


def test_the_pace_names_every_kind_of_row_it_reads(workspace):
    """Each table the pace's query reads belongs to a model in ``PACE_READS``: a
    row it reads but does not name would leave it stale."""
    from planning.dashboard import active_personas
    from planning.pace_data import PACE_READS, load_pace
    from tests.planning import pace_world

    pace_world.build(workspace)
    names = {pk: p.name for pk, p in active_personas(workspace).items()}
    read = _models_read(lambda: load_pace(workspace, names, all_active=True))
    assert read and read <= set(PACE_READS)


def _models_read(call) -> set:
    """The models whose tables the queries ``call()`` runs read."""
    from django.apps import apps
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        call()
    tables = {model._meta.db_table: model for model in apps.get_models()}
    return {
        tables[table]
        for query in queries.captured_queries
        for table in re.findall(r'(?:FROM|JOIN) "(\w+)"', query["sql"])
    }


def test_a_live_plans_reading_names_every_kind_of_row_it_reads(world, workspace):
    """What the what-if keeps of a live plan is kept until a write to a kind of row
    it reads: each table its queries read belongs to a model it names."""
    from planning.selectors import LIVE_PLAN_READS, read_live_plan

    read = _models_read(lambda: read_live_plan(world["plan"]))
    assert read and read <= set(LIVE_PLAN_READS)


def test_a_channel_renamed_reads_no_observations_again_and_the_pace_names_it_anew(
    workspace, owner, pace_reads
):
    """A channel's name is all the pace reads of it beside her mix: renamed, the
    names are read again, no persona's observations; archived, it leaves the mix
    of the personas with a usage of it, whose pace alone is read again (and again
    when it is saved while archived: the day it left moves)."""
    from channels.models import Channel
    from tests.planning import pace_world

    farah = pace_world.build(workspace)["Farah"]
    tiktok = Channel.objects.in_workspace(workspace).get(name="TikTok")
    before, _ = _kept_and_fresh_pace(workspace)
    assert before.action(before.persona(farah.pk)).label == "Promote TikTok into Farah's core"
    count = len(pace_reads)
    channel_services.channel_update(
        channel=_renamed(tiktok, "TikTok Shop"), user=owner, fields=["name"]
    )
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert len(pace_reads) == count + 1  # the fresh read alone
    assert kept == fresh
    assert kept.action(kept.persona(farah.pk)).label == "Promote TikTok Shop into Farah's core"
    # Every persona worked out again from the plans: the figures kept, the name new.
    line = PlanLine.objects.in_workspace(workspace).filter(bucket="future").order_by("pk").first()
    line.amount += 1
    line.save()
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert pace_reads[-2] == "all" and pace_reads.observed[-2] == []
    assert kept == fresh and "TikTok Shop" in kept.action(kept.persona(farah.pk)).label
    set_archived(tiktok, archived=True, user=owner)
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert pace_reads[-2] == [farah.pk] and kept == fresh
    assert kept.persona(farah.pk) != before.persona(farah.pk)  # TikTok left her mix
    channel_services.channel_update(
        channel=_renamed(tiktok, "TikTok Ads"), user=owner, fields=["name"]
    )
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert pace_reads[-2] == [farah.pk] and kept == fresh
    set_archived(tiktok, archived=False, user=owner)
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert pace_reads[-2] == [farah.pk] and kept == fresh
    assert kept.action(kept.persona(farah.pk)).label == "Promote TikTok Ads into Farah's core"


def test_a_new_day_reads_again_only_the_personas_whose_figures_turn(workspace, pace_reads):
    """A new day in the quarter reads nothing again while each persona's kept
    figures hold; a persona observed on a later day is read again that day,
    with no write; a plan still to be settled drops out of the links once it
    has ended."""
    from planning.pace import quarter_of
    from tests.factories import PlanFactory
    from tests.planning import pace_world

    day = date(2026, 11, 10)
    farah = pace_world.build(workspace, today=day)["Farah"]
    kept, fresh = _kept_and_fresh_pace(workspace, day)
    assert kept == fresh and pace_reads.observed[-2] == "all"
    count = len(pace_reads)
    kept, fresh = _kept_and_fresh_pace(workspace, day + timedelta(days=1))
    assert len(pace_reads) == count + 1  # the fresh read alone
    assert kept == fresh
    # Farah observed on the 13th: read again now (her mark), then not until the 13th.
    usage = ChannelUsage.objects.in_workspace(workspace).filter(persona=farah).first()
    observation = usage.observations.order_by("pk").last()
    UsageObservation.objects.create(
        workspace=workspace, usage=usage, observed_on=day + timedelta(days=3),
        share=observation.share + 20, stage=observation.stage, trend="rising",
    )  # fmt: skip
    kept, fresh = _kept_and_fresh_pace(workspace, day + timedelta(days=1))
    assert pace_reads[-2] == [farah.pk] and kept == fresh
    kept, fresh = _kept_and_fresh_pace(workspace, day + timedelta(days=2))
    assert pace_reads.observed[-2] == [farah.pk] and not pace_reads.planned[-2]
    assert kept == fresh
    before = kept.persona(farah.pk)
    kept, fresh = _kept_and_fresh_pace(workspace, day + timedelta(days=3))
    assert pace_reads.observed[-2] == [farah.pk] and not pace_reads.planned[-2]
    assert kept == fresh and kept.persona(farah.pk) != before  # the new share counts now
    count = len(pace_reads)
    kept, fresh = _kept_and_fresh_pace(workspace, day + timedelta(days=4))
    assert len(pace_reads) == count + 1 and kept == fresh
    # A draft ending on the 14th is the next plan the links name, then no more.
    PlanFactory(workspace=workspace, name="Short draft", status="draft",
                start=day, end=day + timedelta(days=4))  # fmt: skip
    kept, fresh = _kept_and_fresh_pace(workspace, day + timedelta(days=4))
    assert kept == fresh
    assert any("Short draft" in action.label for action in kept.actions.values())
    kept, fresh = _kept_and_fresh_pace(workspace, day + timedelta(days=5))
    assert kept == fresh
    assert not any("Short draft" in action.label for action in kept.actions.values())
    # A new quarter reads everything again.
    kept, fresh = _kept_and_fresh_pace(workspace, quarter_of(day, 1).start)
    assert pace_reads.observed[-2] == "all" and pace_reads.planned[-2]
    assert kept == fresh


def test_an_import_of_some_mixes_reads_those_personas_alone_again(workspace, owner, pace_reads):
    """An import writes usages and observations in bulk and marks the personas
    whose mixes it wrote: their pace alone is read again, a new channel too."""
    from channels import imports as mix_import
    from tests.planning import pace_world

    personas = pace_world.build(workspace)
    farah = personas["Farah"]
    _kept_and_fresh_pace(workspace)
    count = len(pace_reads)
    rows = [
        {"persona": "Farah", "channel": "TikTok", "share": "55", "stage": "emerging",
         "trend": "rising", "evidence": "", "last_verified": "", "notes": ""},
        {"persona": "Farah", "channel": "Threads", "share": "5", "stage": "emerging",
         "trend": "rising", "evidence": "", "last_verified": "", "notes": ""},
    ]  # fmt: skip
    result = mix_import.commit(workspace, rows, user=owner, confirmed=True)
    assert result.ok
    assert UsageObservation.objects.filter(usage__persona=farah).count() > 5
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert len(pace_reads) == count + 2
    assert pace_reads[-2] == [farah.pk] and kept == fresh
    # Outside an import, a bulk write still counts as a write to every persona's mix.
    ChannelUsage.objects.in_workspace(workspace).filter(persona=farah).update(notes="bulk")
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert pace_reads.observed[-2] == "all" and kept == fresh


def test_an_import_of_personas_reads_those_it_wrote_alone_again(workspace, owner, pace_reads):
    """A persona renamed (her name matched case-blind) and another added by an
    import: their pace alone is worked out again, under the new name."""
    from personas import imports as persona_import
    from tests.planning import pace_world

    paul = pace_world.build(workspace)["Paul"]
    _kept_and_fresh_pace(workspace)
    persona_import.commit(workspace, [{"name": "PAUL"}, {"name": "Nadia"}], user=owner)
    nadia = Persona.objects.get(workspace=workspace, name="Nadia")
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert pace_reads[-2] == sorted([paul.pk, nadia.pk]) and kept == fresh
    assert kept.persona(paul.pk).name == "PAUL"


def test_channels_merged_read_again_only_the_personas_on_them(workspace, owner, pace_reads):
    from channels.models import Channel
    from tests.planning import pace_world

    personas = pace_world.build(workspace)
    channels = Channel.objects.in_workspace(workspace)
    _kept_and_fresh_pace(workspace)
    channel_services.channel_merge(
        source=channels.get(name="Trade shows"), target=channels.get(name="LinkedIn"), user=owner
    )
    kept, fresh = _kept_and_fresh_pace(workspace)
    assert pace_reads[-2] == sorted([personas["Paul"].pk, personas["Olivia"].pk])
    assert kept == fresh

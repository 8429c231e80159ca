"""Archive and restore of channels, usages, experiments and plans: out of lists,
pickers and new plans while archived, back intact on restore."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from channels.forms import MergeForm, UsageAddForm
from experiments.forms import ExperimentForm
from planning import services as plan_services
from planning.forms import ActualForm
from planning.models import PlanLine
from tests.factories import (
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    PersonaFactory,
    PlanFactory,
)
from workspaces.models import Activity


@pytest.fixture
def olivia(workspace):
    return PersonaFactory(workspace=workspace, name="Olivia")


@pytest.fixture
def tiktok(workspace):
    return ChannelFactory(workspace=workspace, name="TikTok")


@pytest.fixture
def webinars(workspace):
    return ChannelFactory(workspace=workspace, name="Webinars")


def post(client, name, obj):
    response = client.post(reverse(name, args=[obj.workspace.slug, obj.pk]))
    assert response.status_code == 303
    return response


def html(client, url):
    """The page's main part (the message after a step is above it)."""
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index("<main") :]


def allocated(client, plan) -> str:
    """The plan page's allocation, where channels and experiments get their effort."""
    page = html(client, plan.get_absolute_url())
    return page[page.index('id="allocation"') : page.index('id="record-effort"')]


def test_an_archived_channel_leaves_the_catalog_pickers_mixes_and_new_plans(
    marketer_client, marketer, workspace, olivia, tiktok, webinars
):
    ChannelUsageFactory(persona=olivia, channel=tiktok, share=10)
    ChannelUsageFactory(persona=olivia, channel=webinars, share=10)
    plan = PlanFactory(workspace=workspace, personas=[olivia])
    catalog = reverse("channels:list", args=[workspace.slug])
    assert "TikTok" in allocated(marketer_client, plan)

    post(marketer_client, "channels:archive", tiktok)
    assert "TikTok" not in html(marketer_client, catalog)
    assert "TikTok" in html(marketer_client, catalog + "?show=archived")
    other = PersonaFactory(workspace=workspace, name="Paul")
    assert tiktok not in UsageAddForm(persona=other).fields["channel"].queryset
    assert tiktok not in ExperimentForm(workspace=workspace).fields["channel"].queryset
    assert tiktok not in MergeForm(source=webinars).fields["target"].queryset
    assert f"c{tiktok.pk}" not in str(ActualForm(plan=plan).fields["target"].choices)
    persona_page = html(marketer_client, olivia.get_absolute_url())
    assert "the channel is archived" in persona_page
    assert "TikTok" not in allocated(marketer_client, plan)
    assert "is archived" in html(marketer_client, tiktok.get_absolute_url())

    post(marketer_client, "channels:restore", tiktok)
    assert "TikTok" in html(marketer_client, catalog)
    assert tiktok in UsageAddForm(persona=other).fields["channel"].queryset
    assert "TikTok" in allocated(marketer_client, plan)
    history = html(
        marketer_client, reverse("channels:channel_history", args=[workspace.slug, tiktok.pk])
    )
    assert "Bob Marketer</strong> archived the channel" in history
    assert "Bob Marketer</strong> restored the channel" in history


def test_an_archived_usage_leaves_the_mix_and_new_plans(
    marketer_client, workspace, olivia, tiktok, webinars
):
    usage = ChannelUsageFactory(persona=olivia, channel=tiktok, share=10)
    ChannelUsageFactory(persona=olivia, channel=webinars, share=10)
    plan = PlanFactory(workspace=workspace, personas=[olivia])
    response = marketer_client.post(
        reverse("channels:usage_archive", args=[workspace.slug, usage.pk]),
        headers={"HX-Request": "true"},
    )
    fragment = response.content.decode()
    assert "Archived · out of the mix and of new plans" in fragment
    assert f'id="usage-{usage.pk}"' not in fragment
    assert "TikTok" not in allocated(marketer_client, plan)
    usage.refresh_from_db()
    assert usage.archived and usage.version == 2
    post(marketer_client, "channels:usage_restore", usage)
    assert f'id="usage-{usage.pk}"' in html(marketer_client, olivia.get_absolute_url())
    assert "TikTok" in allocated(marketer_client, plan)


def test_an_archived_experiment_leaves_the_board_pickers_and_new_plans(
    marketer_client, workspace, olivia, tiktok
):
    ChannelUsageFactory(persona=olivia, channel=tiktok, share=10)
    experiment = ExperimentFactory(
        workspace=workspace, title="Shorts pilot", status="running", personas=[olivia]
    )
    plan = PlanFactory(workspace=workspace, personas=[olivia])
    board = reverse("experiments:board", args=[workspace.slug])
    table = reverse("experiments:table", args=[workspace.slug])
    assert "Shorts pilot" in allocated(marketer_client, plan)

    post(marketer_client, "experiments:archive", experiment)
    assert "Shorts pilot" not in html(marketer_client, board)
    assert "Shorts pilot" not in html(marketer_client, table)
    assert "Shorts pilot" in html(marketer_client, table + "?show=archived")
    assert "Shorts pilot" not in html(marketer_client, olivia.get_absolute_url())
    assert f"e{experiment.pk}" not in str(ActualForm(plan=plan).fields["target"].choices)
    assert "Shorts pilot" not in allocated(marketer_client, plan)
    assert "is archived" in html(marketer_client, experiment_url(experiment))

    post(marketer_client, "experiments:restore", experiment)
    assert "Shorts pilot" in html(marketer_client, board)
    assert "Shorts pilot" in allocated(marketer_client, plan)
    assert Activity.objects.filter(kind="experiment", fields=["archived"]).count() == 2


def experiment_url(experiment) -> str:
    return reverse("experiments:detail", args=[experiment.workspace.slug, experiment.pk])


def test_an_approved_plan_is_archived_unchanged_and_restored(
    marketer_client, reviewer, marketer, workspace, olivia, tiktok
):
    ChannelUsageFactory(persona=olivia, channel=tiktok, share=10)
    plan = PlanFactory(workspace=workspace, personas=[olivia], name="Q4 plan")
    other = PlanFactory(workspace=workspace, personas=[olivia], name="Q1 plan")
    plan_services.plan_submit(plan=plan, expected_version=1, user=marketer)
    plan.refresh_from_db()
    plan_services.plan_approve(plan=plan, expected_version=plan.version, user=reviewer)
    lines = list(PlanLine.objects.filter(plan=plan).values_list("channel_name", "amount"))
    plans = reverse("planning:plan_list", args=[workspace.slug])

    post(marketer_client, "planning:plan_archive", plan)
    plan.refresh_from_db()
    assert plan.archived and plan.status == "approved"
    assert list(PlanLine.objects.filter(plan=plan).values_list("channel_name", "amount")) == lines
    assert "Q4 plan" not in html(marketer_client, plans)
    assert "Q4 plan" in html(marketer_client, plans + "?show=archived")
    compare = reverse("planning:plan_compare", args=[workspace.slug, other.pk])
    assert "Q4 plan" not in html(marketer_client, compare)
    dashboard = reverse("planning:dashboard", args=[workspace.slug])
    assert "Q4 plan" not in html(marketer_client, dashboard)
    # Never changed: an approved plan's edit page still sends people back.
    edit = reverse("planning:plan_edit", args=[workspace.slug, plan.pk])
    assert marketer_client.get(edit)["Location"] == plan.get_absolute_url()

    post(marketer_client, "planning:plan_restore", plan)
    assert "Q4 plan" in html(marketer_client, plans)
    plan.refresh_from_db()
    assert not plan.archived and plan.status == "approved"
    assert Decimal(sum(amount for _, amount in lines)) == plan.total_effort


def test_reviewers_cannot_archive(reviewer_client, workspace, tiktok):
    url = reverse("channels:archive", args=[workspace.slug, tiktok.pk])
    assert reviewer_client.post(url).status_code == 403
    tiktok.refresh_from_db()
    assert not tiktok.archived

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from planning.models import Actual
from tests.factories import (
    ActualFactory,
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    PersonaFactory,
    PlanFactory,
)
from workspaces.models import ImportBatch

HX = {"HX-Request": "true"}


@pytest.fixture
def setup(workspace):
    olivia = PersonaFactory(workspace=workspace, name="Operations Olivia")
    linkedin = ChannelFactory(workspace=workspace, name="LinkedIn")
    ChannelUsageFactory(persona=olivia, channel=linkedin)
    pilot = ExperimentFactory(
        workspace=workspace, title="Pilot", status="running", personas=[olivia]
    )
    plan = PlanFactory(workspace=workspace, personas=[olivia], total_effort=Decimal("1000"))
    return plan, olivia, linkedin, pilot


def add_url(plan) -> str:
    return reverse("planning:actual_add", args=[plan.workspace.slug, plan.pk])


def test_quick_entry_updates_the_figures_in_place(marketer_client, marketer, setup):
    plan, olivia, linkedin, pilot = setup
    data = {
        "date": "2027-01-10",
        "target": f"c{linkedin.pk}",
        "persona": olivia.pk,
        "amount": "120.50",
        "note": "Posts",
    }
    response = marketer_client.post(add_url(plan), data, headers=HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="allocation"')
    assert (
        "120.50" in html and "679.50" in html
    )  # LinkedIn line: 800 planned, 120.50 spent, 679.50 left
    assert 'id="record-effort" aria-labelledby="h-record" data-hx-swap-oob="true"' in html
    assert "120.50 hours on LinkedIn recorded." in html
    actual = Actual.objects.get()
    assert (actual.workspace, actual.plan, actual.channel, actual.persona, actual.created_by) == (
        plan.workspace,
        plan,
        linkedin,
        olivia,
        marketer,
    )


def test_quick_entry_on_an_experiment(marketer_client, setup):
    plan, olivia, linkedin, pilot = setup
    marketer_client.post(
        add_url(plan), {"date": "2027-01-10", "target": f"e{pilot.pk}", "amount": "5"}
    )
    actual = Actual.objects.get()
    assert actual.experiment == pilot and actual.channel is None and actual.bucket == "future"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "0"}, "greater than or equal to 0.01"),
        ({"amount": "-3"}, "greater than or equal to 0.01"),
        ({"amount": "lots"}, "Enter a number"),
        ({"date": "2026-12-31"}, "Pick a day in the plan"),
        ({"target": ""}, "This field is required"),
        ({"target": "c999999"}, "Select a valid choice"),
        ({"note": "n" * 501}, "at most 500 characters"),
    ],
)
def test_bad_quick_entry_shows_errors_beside_the_fields(marketer_client, setup, data, message):
    plan, olivia, linkedin, pilot = setup
    form = {"date": "2027-01-10", "target": f"c{linkedin.pk}", "amount": "10", **data}
    response = marketer_client.post(add_url(plan), form, headers=HX)
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#record-effort"
    assert message in response.content.decode()
    assert not Actual.objects.exists()


def test_a_channel_of_another_workspace_is_refused(marketer_client, setup, other_workspace):
    plan, *_ = setup
    foreign = ChannelFactory(workspace=other_workspace)
    response = marketer_client.post(
        add_url(plan), {"date": "2027-01-10", "target": f"c{foreign.pk}", "amount": "10"}
    )
    assert response.status_code == 422
    assert not Actual.objects.exists()


def test_list_filters_by_plan_channel_and_dates(reviewer_client, setup, workspace):
    plan, olivia, linkedin, pilot = setup
    other_plan = PlanFactory(workspace=workspace)
    ActualFactory(plan=plan, channel=linkedin, amount=11, note="first")
    ActualFactory(plan=plan, experiment=pilot, amount=22, note="second", date="2027-02-01")
    ActualFactory(plan=other_plan, channel=linkedin, amount=33, note="third")
    url = reverse("planning:actual_list", args=[workspace.slug])
    html = reviewer_client.get(url, {"plan": plan.pk}).content.decode()
    assert "first" in html and "second" in html and "third" not in html
    html = reviewer_client.get(url, {"experiment": pilot.pk}).content.decode()
    assert "second" in html and "first" not in html
    html = reviewer_client.get(url, {"start": "2027-01-20"}).content.decode()
    assert "second" in html and "first" not in html


def test_edit_with_a_stale_version_is_refused(workspace, marketer, owner, setup):
    plan, olivia, linkedin, pilot = setup
    actual = ActualFactory(plan=plan, channel=linkedin, amount=10)
    url = reverse("planning:actual_edit", args=[workspace.slug, actual.pk])
    alice, bob = Client(), Client()
    alice.force_login(owner)
    bob.force_login(marketer)
    data = {"date": "2027-01-15", "target": f"c{linkedin.pk}", "amount": "20", "version": 1}
    assert alice.post(url, data).status_code == 303
    response = bob.post(url, {**data, "amount": "30"})
    assert response.status_code == 409
    assert "Not saved: Alice Owner changed this record" in response.content.decode()
    actual.refresh_from_db()
    assert actual.amount == 20


def test_delete_and_reviewer_cannot(marketer_client, reviewer_client, setup, workspace):
    plan, olivia, linkedin, pilot = setup
    actual = ActualFactory(plan=plan, channel=linkedin)
    url = reverse("planning:actual_delete", args=[workspace.slug, actual.pk])
    assert reviewer_client.post(url).status_code == 403
    assert marketer_client.post(url).status_code == 303
    assert not Actual.objects.exists()


def upload(text: str, name: str = "actuals.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def import_url(plan) -> str:
    return reverse("imports:upload", args=[plan.workspace.slug, "actuals"]) + f"?plan={plan.pk}"


def preview(client, plan, file):
    """Upload, then the preview page the upload leads to."""
    response = client.post(import_url(plan), {"file": file})
    assert response.status_code == 303, response.content.decode()[:500]
    return client.get(response["Location"])


def commit(client, plan):
    batch = ImportBatch.objects.get(workspace=plan.workspace)
    return client.post(reverse("imports:commit", args=[plan.workspace.slug, batch.pk]))


def test_the_plan_page_offers_the_import(marketer_client, setup):
    plan, *_ = setup
    html = marketer_client.get(plan.get_absolute_url()).content.decode()
    assert f'href="{import_url(plan)}"' in html.replace("&amp;", "&")


def test_the_upload_page_names_the_plan_and_the_columns(marketer_client, setup):
    plan, *_ = setup
    html = marketer_client.get(import_url(plan)).content.decode()
    assert f"Into {plan.name} (01 Jan 2027 – 31 Mar 2027)" in html
    assert "<code>date, channel, experiment, persona, amount, note</code>" in html
    assert "template.xlsx" in html


def test_the_template_lists_the_columns(marketer_client, setup):
    plan, *_ = setup
    url = reverse("imports:template", args=[plan.workspace.slug, "actuals", "csv"])
    lines = marketer_client.get(url).content.decode("utf-8-sig").splitlines()
    assert lines[0] == "date,channel,experiment,persona,amount,note"


def test_import_previews_every_row_then_saves_them_all(marketer_client, setup):
    plan, olivia, linkedin, pilot = setup
    csv = "date,channel,experiment,persona,amount,note\n2027-01-05,linkedin,,Operations Olivia,12.50,posts\n2027-01-06,,Pilot,,3,\n"
    page = preview(marketer_client, plan, upload(csv))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Into {plan.name}" in html and "Import 2 rows" in html
    assert not Actual.objects.exists()  # nothing before the import
    response = commit(marketer_client, plan)
    assert response.status_code == 303
    assert response["Location"] == (
        reverse("planning:actual_list", args=[plan.workspace.slug]) + f"?plan={plan.pk}"
    )
    assert sorted(Actual.objects.values_list("amount", flat=True)) == [Decimal(3), Decimal("12.50")]
    saved = Actual.objects.get(amount=Decimal("12.50"))
    assert (saved.plan, saved.channel, saved.persona, saved.note) == (
        plan,
        linkedin,
        olivia,
        "posts",
    )
    assert Actual.objects.get(amount=3).experiment == pilot
    assert Actual.history.count() == 2  # recorded with history, like any change
    followed = marketer_client.get(response["Location"]).content.decode()
    assert f"2 effort lines imported into {plan.name}." in followed


def test_an_excel_workbook_imports_too(marketer_client, setup):
    plan, *_ = setup
    book = Workbook()
    book.active.append(["Date", "Channel", "Amount"])
    book.active.append([date(2027, 1, 5), "LinkedIn", 7.5])
    buffer = io.BytesIO()
    book.save(buffer)
    file = SimpleUploadedFile("effort.xlsx", buffer.getvalue())
    assert "Import 1 row" in preview(marketer_client, plan, file).content.decode()
    assert commit(marketer_client, plan).status_code == 303
    assert Actual.objects.get().amount == Decimal("7.50")


def test_import_with_one_bad_row_saves_nothing_and_says_which(marketer_client, setup):
    plan, *_ = setup
    csv = (
        "date,channel,experiment,persona,amount,note\n"
        "2027-01-05,LinkedIn,,,10,\n"
        "2027-13-01,LinkedIn,,,10,\n"
        "2027-01-05,Fax,,,10,\n"
        "2027-01-05,LinkedIn,Pilot,,10,\n"
        "2027-01-05,LinkedIn,,Nobody,-4,\n"
        "2026-01-05,LinkedIn,,,1.234,\n"
    )
    html = preview(marketer_client, plan, upload(csv)).content.decode()
    assert "Fix the rows in error" in html
    assert re.search(r"With errors</p><p class=\"stat-value\">5<", html)
    for problem in [
        "is not a date",
        "no channel “Fax”",
        "not both",
        "no persona “Nobody”",
        "must be a positive number",
        "outside the plan",
    ]:
        assert problem in html, problem
    response = commit(marketer_client, plan)
    assert response.status_code == 422
    assert "Nothing was imported" in response.content.decode()
    assert not Actual.objects.exists()


def test_effort_already_recorded_is_flagged_not_refused(marketer_client, setup):
    plan, olivia, linkedin, pilot = setup
    ActualFactory(plan=plan, channel=linkedin, date=date(2027, 1, 5), amount=Decimal(10))
    csv = "date,channel,amount\n2027-01-05,LinkedIn,10\n"
    html = preview(marketer_client, plan, upload(csv)).content.decode()
    assert "already recorded" in html
    assert commit(marketer_client, plan).status_code == 303
    assert Actual.objects.count() == 2


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\xff\xfe\x00garbage", "a.csv", "not UTF-8"),
        (b"date,channel,amount\n", "a.csv", "no rows"),
        (b"date,channel,amount\n2027-01-01,LinkedIn,1\n", "a.xlsx", "not an Excel"),
        (b"date,channel,amount\n2027-01-01,LinkedIn,1\n", "a.txt", "Upload a .csv or .xlsx"),
    ],
)
def test_import_refuses_unreadable_files(marketer_client, setup, content, name, message):
    plan, *_ = setup
    response = marketer_client.post(import_url(plan), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists() and not Actual.objects.exists()


def test_import_needs_a_plan_of_the_workspace(marketer_client, setup, other_workspace):
    plan, *_ = setup
    url = reverse("imports:upload", args=[plan.workspace.slug, "actuals"])
    assert marketer_client.get(url).status_code == 404
    assert marketer_client.get(url + "?plan=x").status_code == 404
    foreign = PlanFactory(workspace=other_workspace)
    assert marketer_client.get(url + f"?plan={foreign.pk}").status_code == 404
    assert marketer_client.get(import_url(plan)).status_code == 200


def test_import_refused_to_reviewers(reviewer_client, setup):
    plan, *_ = setup
    response = reviewer_client.post(
        import_url(plan), {"file": upload("date,channel,amount\n2027-01-05,LinkedIn,1\n")}
    )
    assert response.status_code == 403
    assert not Actual.objects.exists()


def test_merging_channels_moves_the_actuals(marketer_client, setup, workspace):
    plan, olivia, linkedin, pilot = setup
    duplicate = ChannelFactory(workspace=workspace, name="LinkedIn (old)")
    actual = ActualFactory(plan=plan, channel=duplicate)
    marketer_client.post(
        reverse("channels:merge", args=[workspace.slug, duplicate.pk]),
        {"target": linkedin.pk, "confirm": "yes"},
    )
    actual.refresh_from_db()
    assert actual.channel == linkedin

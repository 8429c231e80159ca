"""Journey: bring a workbook of recorded effort into a plan, check the preview, import it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from planning.models import Actual
from tests.browser.conftest import screenshot, sign_in
from tests.factories import (
    PASSWORD,
    ChannelFactory,
    ChannelUsageFactory,
    ExperimentFactory,
    PersonaFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_import_recorded_effort_from_a_workbook(new_page, marketer, workspace, tmp_path):
    olivia = PersonaFactory(workspace=workspace, name="Operations Olivia")
    linkedin = ChannelFactory(workspace=workspace, name="LinkedIn")
    ChannelUsageFactory(persona=olivia, channel=linkedin)
    ExperimentFactory(
        workspace=workspace, title="Webinar pilot", status="running", personas=[olivia]
    )
    plan = PlanFactory(workspace=workspace, name="Q1 2027 plan", personas=[olivia])
    book = Workbook()
    book.active.append(["Date", "Channel", "Experiment", "Persona", "Amount", "Note"])
    book.active.append([date(2027, 1, 12), "LinkedIn", None, "Operations Olivia", 12.5, "Posts"])
    book.active.append([date(2027, 1, 19), None, "Webinar pilot", None, 6, "Rehearsal"])
    book.active.append([date(2027, 5, 2), "Fax", None, None, 3, ""])
    sheet = tmp_path / "effort.xlsx"
    book.save(sheet)

    for width, name in [(1280, "desktop"), (390, "phone")]:
        page = new_page((width, 860))
        sign_in(page, marketer.email, PASSWORD)
        page.goto(plan.get_absolute_url())
        page.get_by_role("link", name="Import…").click()
        expect(page.get_by_role("heading", name="Import recorded effort")).to_be_visible()
        expect(page.get_by_text("Into Q1 2027 plan")).to_be_visible()
        screenshot(page, f"actual-import-upload-{name}")
        page.get_by_label("CSV or Excel file").set_input_files(str(sheet))
        page.get_by_role("button", name="Check the file").click()
        expect(page.get_by_role("heading", name="Check before importing")).to_be_visible()
        rows = page.locator("tbody tr")
        expect(rows.filter(has_text="Webinar pilot").get_by_text("New")).to_be_visible()
        expect(rows.filter(has_text="Fax").get_by_text("no channel “Fax”")).to_be_visible()
        expect(page.get_by_role("button", name="Import 3 rows")).to_be_disabled()
        screenshot(page, f"actual-import-preview-{name}")
        assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        page.get_by_role("button", name="Cancel and upload another file").click()
        expect(page.get_by_role("heading", name="Import recorded effort")).to_be_visible()
        assert page.errors == []
    assert not Actual.objects.exists()

    book.active.delete_rows(4)
    book.save(sheet)
    page.get_by_label("CSV or Excel file").set_input_files(str(sheet))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Import 2 rows").click()
    expect(page.get_by_text("2 effort lines imported into Q1 2027 plan.")).to_be_visible()
    screenshot(page, "actual-import-done-phone")
    assert sorted(Actual.objects.values_list("amount", flat=True)) == [Decimal(6), Decimal("12.50")]

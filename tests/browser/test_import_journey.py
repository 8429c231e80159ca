"""Journey: bring a spreadsheet of personas in, check the preview, import it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from personas.models import Persona
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, PersonaFactory

pytestmark = pytest.mark.django_db(transaction=True)

CSV = (
    "name,role_title,adoption_stage,priority\n"
    "Ops Olivia,Head of Operations,early majority,4\n"
    "Founder Farah,Founder,innovator,5\n"
    "Analyst Arjun,Data analyst,late majority,2\n"
)


def test_import_personas_from_a_spreadsheet(page, marketer, workspace, tmp_path):
    PersonaFactory(workspace=workspace, name="Founder Farah", priority=3)
    sheet = tmp_path / "personas.csv"
    sheet.write_text(CSV, encoding="utf-8")
    sign_in(page, marketer.email, PASSWORD)
    page.goto(f"/w/{workspace.slug}/personas/")
    page.get_by_role("link", name="Import…").click()
    expect(page.get_by_role("heading", name="Import personas")).to_be_visible()
    screenshot(page, "import-upload")

    page.get_by_label("CSV or Excel file").set_input_files(str(sheet))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Check before importing")).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows.filter(has_text="Ops Olivia").get_by_text("New")).to_be_visible()
    expect(rows.filter(has_text="Founder Farah").get_by_text("Update")).to_be_visible()
    screenshot(page, "import-preview")
    assert Persona.objects.filter(workspace=workspace).count() == 1

    page.get_by_role("button", name="Import 3 rows").click()
    expect(page.get_by_text("Imported 2 new and 1 updated personas.")).to_be_visible()
    expect(page.get_by_role("link", name="Ops Olivia")).to_be_visible()
    assert Persona.objects.filter(workspace=workspace).count() == 3
    assert Persona.objects.get(workspace=workspace, name="Founder Farah").priority == 5
    assert page.errors == []

"""Journey: a large import is handed to the worker; its page follows the progress."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from personas.models import Persona
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_large_import_shows_its_progress_until_done(
    new_page, marketer, workspace, tmp_path, settings, width
):
    settings.IMPORT_TASK_THRESHOLD = 5
    sheet = tmp_path / "personas.csv"
    sheet.write_text(
        "name,role_title,adoption_stage,priority\n"
        + "".join(f"Persona {n},Role,innovator,3\n" for n in range(12)),
        encoding="utf-8",
    )
    page = new_page((width, 860))
    sign_in(page, marketer.email, PASSWORD)
    page.goto(f"/w/{workspace.slug}/imports/personas/")
    page.get_by_label("CSV or Excel file").set_input_files(str(sheet))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Import 12 rows").click()

    expect(
        page.get_by_role("heading", level=1, name="Import of personas.csv (12 rows)")
    ).to_be_visible()
    expect(page.locator(".badge-job-queued")).to_have_text("Queued")
    assert Persona.objects.filter(workspace=workspace).count() == 0
    size = "desktop" if width > 400 else "phone"
    screenshot(page, f"import-job-queued-{size}")

    assert run_queued_tasks() == 2  # the worker's turn: the import, then the e-mail
    expect(page.get_by_text("Imported 12 new and 0 updated personas.")).to_be_visible()  # polled
    expect(page.get_by_role("link", name="See what was imported")).to_be_visible()
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    screenshot(page, f"import-job-done-{size}")
    assert page.errors == []

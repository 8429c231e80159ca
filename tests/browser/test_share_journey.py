"""Journey: a marketer shares a persona's one-pager and the approved plan; a
browser with no session opens both, prints the one-pager on one page and
downloads the PDFs; the owner sees the views and revokes one link, which then
answers 410 while the other still works."""

from __future__ import annotations

import io

import pypdf
import pytest
from playwright.sync_api import expect

from planning import services as plan_services
from tests.browser.conftest import screenshot, sign_in
from tests.factories import (
    PASSWORD,
    ChannelUsageFactory,
    ExperimentFactory,
    PersonaFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def pages_of(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def olivia(workspace):
    persona = PersonaFactory(
        workspace=workspace,
        name="Operations Olivia",
        role_title="Head of Operations",
        quote="I don't need another dashboard. I need to know on Monday which orders will be late.",
        goals="Cut late deliveries below 2%\nOne view of the week's orders",
        challenges="Data spread over the ERP, spreadsheets and e-mail\nNo analyst on the team",
        objections="“Our ERP already does reporting.”",
        buying_triggers="A bad quarter of late deliveries",
        says="“Show me someone like us who uses it.”",
        thinks="Another project could land on her team's plate.",
        does="Reads LinkedIn on her commute.",
        feels="Responsible for overtime when forecasts are wrong.",
    )
    ChannelUsageFactory(persona=persona, channel__name="LinkedIn", share=40)
    ChannelUsageFactory(persona=persona, channel__name="Trade shows", share=20, trend="declining")
    ChannelUsageFactory(persona=persona, channel__name="YouTube", share=8, stage="emerging")
    ExperimentFactory(
        workspace=workspace, title="Operations podcast", status="running", personas=[persona]
    )
    return persona


@pytest.fixture
def approved_plan(workspace, olivia, marketer, reviewer):
    plan = PlanFactory(workspace=workspace, name="Q4 2026 plan", personas=[olivia])
    plan_services.plan_submit(plan=plan, user=marketer, expected_version=plan.version)
    plan.refresh_from_db()
    plan_services.plan_approve(plan=plan, user=reviewer, expected_version=plan.version, comment="")
    plan.refresh_from_db()
    return plan


def test_share_a_one_pager_and_a_plan_open_them_without_a_session_and_revoke_one(
    new_page, owner, marketer, workspace, olivia, approved_plan
):
    page = new_page()
    sign_in(page, marketer.email, PASSWORD)
    page.goto(olivia.get_absolute_url())
    page.get_by_text("One-pager", exact=True).click()
    page.get_by_role("link", name="Share link…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Share Operations Olivia's one-pager")
    page.get_by_label("Works for").select_option("7")
    page.get_by_label("Who is it for?").fill("Sales team")
    page.get_by_role("button", name="Create the link").click()
    expect(page.get_by_role("heading", name="Link to Operations Olivia created")).to_be_visible()
    link = page.get_by_label("Share link").input_value()
    screenshot(page, "share-link-created")
    page.goto(approved_plan.get_absolute_url())
    page.get_by_text("Share", exact=True).click()
    page.get_by_role("link", name="Share link to the plan…").click()
    page.get_by_label("Who is it for?").fill("the board")
    page.get_by_role("button", name="Create the link").click()
    plan_link = page.get_by_label("Share link").input_value()

    # A fresh browser context: no cookie, no session.
    guest = new_page()
    assert guest.context.cookies() == []
    response = guest.goto(link)
    assert response.status == 200
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    assert response.headers["cache-control"] == "private, no-store"
    expect(guest.get_by_role("heading", level=1, name="Operations Olivia")).to_be_visible()
    expect(guest.get_by_text("Where to reach them today")).to_be_visible()
    expect(guest.get_by_role("link", name="Sign in")).to_have_count(0)
    assert guest.locator("form, input, textarea, select").count() == 0
    screenshot(guest, "shared-one-pager-desktop")
    # Printed: exactly one A4 page.
    assert pages_of(guest.pdf(format="A4", prefer_css_page_size=True, print_background=True)) == 1
    with guest.expect_download() as download:
        guest.get_by_role("link", name="Download PDF").click()
    with open(download.value.path(), "rb") as pdf:
        assert pages_of(pdf.read()) == 1
    assert download.value.suggested_filename == "operations-olivia-one-pager.pdf"
    assert guest.context.cookies() == []

    phone = new_page(viewport=(390, 844))
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1, name="Operations Olivia")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "shared-one-pager-390")

    # The approved plan, in the same session-less browser.
    response = guest.goto(plan_link)
    assert response.status == 200
    expect(guest.get_by_role("heading", level=1, name="Q4 2026 plan")).to_be_visible()
    expect(guest.get_by_text("These figures are fixed")).to_be_visible()
    expect(guest.get_by_role("heading", name="Allocation")).to_be_visible()
    assert guest.locator("a[href*='/w/']").count() == 0
    screenshot(guest, "shared-plan-desktop")
    phone.goto(plan_link)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "shared-plan-390")
    with guest.expect_download() as download:
        guest.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename == "q4-2026-plan.pdf"

    # The owner sees the views and revokes the link.
    boss = new_page()
    sign_in(boss, owner.email, PASSWORD)
    boss.goto(f"/w/{workspace.slug}/")
    boss.get_by_label("Account menu").click()
    boss.get_by_role("link", name="Shared links").click()
    row = boss.get_by_role("row", name="Operations Olivia")
    expect(row.get_by_role("cell").nth(2)).to_contain_text("3")  # two pages and a PDF
    expect(row).to_contain_text("Bob Marketer")
    plan_row = boss.get_by_role("row", name="Q4 2026 plan")
    expect(plan_row.get_by_role("cell").nth(2)).to_contain_text("3")  # two pages and a PDF
    screenshot(boss, "shared-links-owner")
    row.get_by_role("link", name="Revoke the link to Operations Olivia for Sales team").click()
    boss.get_by_role("button", name="Revoke").click()
    expect(boss.get_by_text("is revoked: it no longer opens anything")).to_be_visible()

    gone = new_page()
    response = gone.goto(link)
    assert response.status == 410
    expect(gone.get_by_role("heading", name="This shared link was withdrawn")).to_be_visible()
    expect(gone.get_by_text("Operations Olivia")).to_have_count(0)
    assert gone.goto(plan_link).status == 200  # the other link still works
    assert page.errors == [] and guest.errors == [] and boss.errors == []

"""Journey: sign in, land in the workspace, switch workspace, sign out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, MembershipFactory, WorkspaceFactory
from workspaces.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_in_switch_workspace_and_sign_out(page, owner, workspace):
    MembershipFactory(
        user=owner,
        workspace=WorkspaceFactory(name="Bluebird Coffee", slug="bluebird"),
        role=Role.MARKETER,
    )

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    screenshot(page, "login")

    sign_in(page, owner.email, PASSWORD)
    expect(page.get_by_role("heading", name="Your workspaces")).to_be_visible()
    screenshot(page, "workspace-picker")

    page.get_by_role("link", name=re.compile("Northwind")).click()
    expect(page).to_have_url(re.compile(r"/w/northwind/$"))
    expect(page.get_by_role("heading", level=1, name="Northwind")).to_be_visible()
    screenshot(page, "dashboard")

    page.get_by_label("Switch workspace").click()
    screenshot(page, "switcher-open")
    page.get_by_role("link", name=re.compile("Bluebird Coffee")).click()
    expect(page).to_have_url(re.compile(r"/w/bluebird/$"))
    expect(page.get_by_role("heading", level=1, name="Bluebird Coffee")).to_be_visible()

    for section in ["Personas", "Channels", "Experiments", "Plans"]:
        page.get_by_role("navigation", name="Main").get_by_role("link", name=section).click()
        expect(page.get_by_role("heading", level=1, name=section)).to_be_visible()
        screenshot(page, f"section-{section.lower()}")

    page.get_by_label("Account menu").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto("/w/northwind/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    assert page.errors == []


def test_member_of_one_workspace_lands_in_it(page, marketer, workspace):
    sign_in(page, marketer.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/w/northwind/$"))
    expect(page.locator("#main .eyebrow")).to_have_text(re.compile(r"^Marketer"))


def test_wrong_password_shows_a_message(page, marketer):
    sign_in(page, marketer.email, "not the password")
    expect(page.get_by_text("do not match an account")).to_be_visible()
    screenshot(page, "login-error")

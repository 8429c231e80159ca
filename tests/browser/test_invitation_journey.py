"""Journey: an owner invites a reviewer, who accepts in another browser, signs up,
lands on the dashboard, and cannot edit."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, PersonaFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_invite_a_reviewer_who_signs_up(new_page, owner, workspace):
    persona = PersonaFactory(workspace=workspace, name="Operations Olivia")
    page = new_page()
    sign_in(page, owner.email, PASSWORD)
    page.get_by_label("Account menu").click()
    page.get_by_role("link", name="Members and invitations").click()
    expect(page.get_by_role("heading", level=1, name="Members")).to_be_visible()
    page.get_by_label("E-mail address").fill("rae@example.com")
    page.locator("#id_role").select_option("reviewer")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("heading", name="Invitation sent to rae@example.com")).to_be_visible()
    link = page.get_by_label("Invitation link").input_value()
    screenshot(page, "members-invited")

    guest = new_page()
    guest.goto(link)
    expect(guest.get_by_role("heading", name=f"Join {workspace.name}")).to_be_visible()
    guest.get_by_label("Your name").fill("Rae Reviewer")
    guest.locator("#id_password1").fill("a long pass phrase 42")
    guest.get_by_label("Password again").fill("a long pass phrase 42")
    screenshot(guest, "invitation-accept")
    guest.get_by_role("button", name="Create my account and join").click()
    expect(guest).to_have_url(re.compile(rf"/w/{workspace.slug}/$"))
    expect(guest.get_by_text("You are reviewer.")).to_be_visible()
    screenshot(guest, "reviewer-dashboard")

    guest.goto(persona.get_absolute_url())
    expect(guest.get_by_role("heading", level=1, name="Operations Olivia")).to_be_visible()
    expect(guest.get_by_role("link", name="Edit goals and pains")).to_have_count(0)
    expect(guest.get_by_role("button", name="Archive")).to_have_count(0)
    response = guest.request.get(f"/w/{workspace.slug}/personas/{persona.pk}/edit/goals/")
    assert response.status == 403

    # The link works once.
    again = new_page()
    again.goto(link)
    expect(again.get_by_role("heading", name="This invitation was already used")).to_be_visible()
    assert page.errors == [] and guest.errors == []

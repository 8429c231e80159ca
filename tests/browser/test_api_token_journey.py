"""Journey: a manager makes an API token for a BI tool, which reads the plan, then revokes it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, PersonaFactory, PlanFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_token_opens_the_api_until_it_is_revoked(page, reviewer, workspace):
    PersonaFactory(workspace=workspace, name="Ops Olivia")
    plan = PlanFactory(workspace=workspace, name="Q1 plan")
    sign_in(page, reviewer.email, PASSWORD)
    page.goto("/accounts/profile/")
    expect(page.get_by_text("No token yet.")).to_be_visible()
    page.get_by_label("Token name").fill("Looker")
    page.get_by_role("button", name="Create a token").click()
    expect(page.get_by_text("Token “Looker” created.")).to_be_visible()
    secret = page.get_by_label("New token").input_value()
    screenshot(page, "profile-token-created")

    page.reload()
    expect(page.get_by_label("New token")).to_have_count(0)
    expect(page.get_by_text("never used")).to_be_visible()

    api = f"/api/v1/w/{workspace.slug}"
    headers = {"Authorization": f"Bearer {secret}"}
    response = page.request.get(f"{api}/plans/{plan.pk}", headers=headers)
    assert response.status == 200 and response.json()["name"] == "Q1 plan"
    names = [
        p["name"] for p in page.request.get(f"{api}/personas", headers=headers).json()["items"]
    ]
    assert names == ["Ops Olivia"]
    page.reload()
    expect(page.get_by_text("last used")).to_be_visible()

    page.get_by_role("link", name="Revoke Looker").click()
    expect(page.get_by_role("heading", name="Revoke the API token “Looker”?")).to_be_visible()
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("The token “Looker” is revoked")).to_be_visible()
    assert page.request.get(f"{api}/personas", headers=headers).status == 401
    assert page.errors == []

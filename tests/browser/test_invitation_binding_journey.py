"""An owner makes a link anyone may join through; someone signed in with
another address opens an invitation meant for someone else, is told so, signs
out from that page and lands back on the invitation; lock-outs say when to
try again. At desktop width and at 390 px."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD

SIZES = [(1280, "desktop"), (390, "phone")]


def no_sideways_scroll(page, name: str) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not wide, f"{name} scrolls sideways"


def test_an_open_link_on_the_members_page(new_page, owner, workspace):
    for width, size in SIZES:
        page = new_page((width, 860))
        sign_in(page, owner.email, PASSWORD)
        page.goto(f"/w/{workspace.slug}/members/")
        page.get_by_label("Joins as").select_option("marketer")
        page.get_by_label("Works for").select_option("30")
        page.get_by_role("button", name="Make the link").click()
        expect(
            page.get_by_role("heading", name="A link anyone may join through, as marketer")
        ).to_be_visible()
        expect(page.get_by_text("Anyone with the link").first).to_be_visible()
        no_sideways_scroll(page, f"members at {width}")
        screenshot(page, f"members-open-link-{size}")
        assert page.errors == []


def test_an_invitation_for_someone_else(new_page, owner, outsider, workspace):
    page = new_page()
    sign_in(page, owner.email, PASSWORD)
    page.goto(f"/w/{workspace.slug}/members/")
    page.get_by_label("E-mail address").fill("rae@example.com")
    page.get_by_role("button", name="Send the invitation").click()
    link = page.get_by_label("Invitation link").input_value()
    for width, size in SIZES:
        other = new_page((width, 860))
        sign_in(other, outsider.email, PASSWORD)
        other.goto(link)
        expect(
            other.get_by_role("heading", name="This invitation is for someone else")
        ).to_be_visible()
        expect(other.get_by_text("This invitation is for r…@example.com.")).to_be_visible()
        no_sideways_scroll(other, f"refusal at {width}")
        screenshot(other, f"invitation-other-address-{size}")
    other.get_by_role("button", name="Sign out and open the link again").click()
    expect(other).to_have_url(re.compile(r"/invite/"))
    expect(other.get_by_role("button", name="Create my account and join")).to_be_visible()
    # The refusal is a 403, which the browser notes in its console; nothing else.
    assert [e for e in other.errors if "status of 403" not in e] == []


def test_a_lockout_says_when_to_try_again(new_page, owner):
    for width, size in SIZES:
        page = new_page((width, 860))
        for _ in range(5):
            page.goto("/accounts/login/")
            page.get_by_label("E-mail address").fill(owner.email)
            page.get_by_label("Password").fill("not the password")
            page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_contain_text("try again in 15 minutes")
        no_sideways_scroll(page, f"lockout at {width}")
        screenshot(page, f"login-locked-{size}")

"""Journey: a reviewer prints one-pagers from the browser, and each is exactly
one A4 page, however full the persona."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD
from tests.sharing.personas import make_extreme_persona, make_maxed_persona

pytestmark = pytest.mark.django_db(transaction=True)


def test_full_personas_print_on_one_page(new_page, reviewer, workspace):
    maxed = make_maxed_persona(workspace)
    extreme = make_extreme_persona(workspace)
    page = new_page()
    sign_in(page, reviewer.email, PASSWORD)
    for name, persona in [("maxed", maxed), ("extreme", extreme)]:
        page.goto(reverse("sharing:one_pager", args=[workspace.slug, persona.pk]))
        expect(page.locator("article.one-pager h1")).to_be_visible()
        printed = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
        assert len(pypdf.PdfReader(io.BytesIO(printed)).pages) == 1, name
        screenshot(page, f"one-pager-{name}")
    assert page.errors == []

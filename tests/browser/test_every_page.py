"""Every page, for every role, on a phone: no sideways scrolling at 390 and at
360 px, and no serious or critical axe-core finding.

axe-core's script is the ``axe.min.js`` that the PyPI package
axe-playwright-python ships (a test dependency); Playwright injects it into each
page and runs it. The pages are the access matrix's (``tests/pages.py``), on the
demo data, each role seeing what it may and the 403 pages where it may not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import sign_in
from tests.factories import PASSWORD
from tests.pages import demo_world, site_pages

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 780}
DEMO_LOGINS = {
    "owner": "owen@example.com",
    "marketer": "maya@example.com",
    "reviewer": "ravi@example.com",
}


def axe_source() -> str:
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text()


def axe_findings(page, context: str = "document") -> list[str]:
    """axe-core's critical and serious findings on the page as it is now."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    violations = page.evaluate(
        "(context) => axe.run(context === 'document' ? document : document.querySelector(context),"
        " {resultTypes: ['violations']}).then(r => r.violations)",
        context,
    )
    return [
        f"{v['id']} ({v['impact']}) at {' '.join(node['target'])}: {node['failureSummary'][:200]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
        for node in v["nodes"]
    ]


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_axe_finds_low_contrast(page):
    """The judge can fail: grey on white is reported."""
    page.set_content(
        '<!doctype html><html lang="en"><head><title>t</title></head><body><main>'
        '<p style="color:#bbb">Hard to read</p></main></body></html>'
    )
    assert any(f.startswith("color-contrast (serious)") for f in axe_findings(page))


@pytest.mark.parametrize("role", ["owner", "marketer", "reviewer"])
def test_every_page_on_a_phone(new_page, role):
    world = demo_world()
    page = new_page((PHONE["width"], PHONE["height"]))
    sign_in(page, DEMO_LOGINS[role], PASSWORD)
    findings, wide = [], []
    pages = [p for p in site_pages(world) if not p.name.startswith("accounts:password_reset")]
    for site_page in pages:
        page.set_viewport_size(PHONE)
        response = page.goto(site_page.url)
        assert response.status < 500, f"{site_page.url}: {response.status}"
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        for size in (PHONE, SMALL_PHONE):
            page.set_viewport_size(size)
            page.evaluate("window.dispatchEvent(new Event('resize'))")
            if scroll_width(page) > size["width"]:
                wide.append(
                    f"{site_page.url} is {scroll_width(page)} px wide at {size['width']} px"
                )
        findings += [f"{site_page.url}: {f}" for f in axe_findings(page)]
    assert wide == [], "\n".join(wide)
    assert findings == [], f"{len(findings)} serious findings as {role}:\n" + "\n".join(findings)
    # 403 and 404 pages log their status; anything else is a script error.
    assert [e for e in page.errors if not e.startswith("Failed to load resource")] == []

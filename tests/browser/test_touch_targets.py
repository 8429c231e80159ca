"""Touch targets on a phone (390 × 844): every visible link, button, field and
disclosure is at least 24 × 24 px (WCAG 2.5.8), on every main page, for each
role. Only links inside a sentence are exempt, as WCAG exempts them."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in
from tests.browser.test_every_page import DEMO_LOGINS, PHONE
from tests.factories import PASSWORD
from tests.pages import demo_world

pytestmark = pytest.mark.django_db(transaction=True)

MAIN_PAGES = [
    "planning:dashboard",
    "personas:list",
    "personas:detail",
    "channels:list",
    "channels:detail",
    "experiments:board",
    "experiments:table",
    "experiments:detail",
    "planning:plan_list",
    "planning:plan_detail",
    "planning:actual_list",
    "activity:feed",
    "inbox:list",
    "team:members",
    "sharing:list",
    "accounts:profile",
]

# The targets smaller than 24 px, as "what (width x height)".
SMALL_TARGETS = r"""() => {
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary,'
    + ' [role=button], [tabindex]:not([tabindex="-1"])';
  const words = (el) => (el.innerText || '').replace(/\s+/g, ' ').trim();
  // A link within a sentence: inline, and its block holds text outside it.
  const inSentence = (el) => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display === 'inline') block = block.parentElement;
    return !!block && words(block).length > words(el).length + 1;
  };
  // Inside a closed <details>, only its summary shows.
  const folded = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (p.tagName === 'DETAILS' && !p.open && !(el.tagName === 'SUMMARY' && el.parentElement === p)) return true;
    }
    return false;
  };
  const small = [];
  for (const el of document.querySelectorAll(controls)) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!box.width || !box.height || style.visibility === 'hidden') continue;
    if (el.closest('.visually-hidden') || folded(el)) continue;
    if ((box.width >= 24 && box.height >= 24) || inSentence(el)) continue;
    const label = (el.getAttribute('aria-label') || words(el) || el.value || el.name || '').slice(0, 40);
    small.push(`${el.tagName.toLowerCase()} "${label}" (${Math.round(box.width)} x ${Math.round(box.height)})`);
  }
  return small;
}"""


def small_targets(page) -> list[str]:
    return page.evaluate(SMALL_TARGETS)


def test_the_measure_can_fail(page):
    """A 16 px button is reported; a link inside a sentence is not."""
    page.set_viewport_size(PHONE)
    page.set_content(
        '<!doctype html><html lang="en"><head><title>t</title></head><body><main>'
        '<p>Read <a href="/x">the guide</a> first.</p>'
        '<p><a href="/y">Alone</a></p>'
        '<button style="height:16px;padding:0;font-size:10px">Tiny</button></main></body></html>'
    )
    small = small_targets(page)
    assert any(s.startswith('button "Tiny"') for s in small), small
    assert any(s.startswith('a "Alone"') for s in small), small
    assert not any("the guide" in s for s in small), small


@pytest.mark.parametrize("role", ["owner", "marketer", "reviewer"])
def test_every_target_is_at_least_24_px_on_a_phone(new_page, role):
    from tests.pages import site_pages

    world = demo_world()
    pages = {p.name: p.url for p in site_pages(world)}
    page = new_page((PHONE["width"], PHONE["height"]))
    sign_in(page, DEMO_LOGINS[role], PASSWORD)
    small, measured = [], 0
    for name in MAIN_PAGES:
        response = page.goto(pages[name])
        if response.status != 200:
            continue  # a page this role may not open
        measured += 1
        small += [f"{pages[name]}: {s}" for s in small_targets(page)]
    assert measured >= 12, measured
    assert small == [], f"{len(small)} targets under 24 px as {role}:\n" + "\n".join(small)

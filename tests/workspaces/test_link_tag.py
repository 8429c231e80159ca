"""The header's links: reversed once per process, the same addresses as ``{% url %}``."""

from __future__ import annotations

from django.template import Context, Template
from django.urls import reverse, set_script_prefix

LINKS = Template(
    "{% load pacekeeper %}{% link 'planning:dashboard' slug %}|{% link 'accounts:profile' %}"
)


def _render(slug: str) -> list[str]:
    return LINKS.render(Context({"slug": slug})).split("|")


def test_a_link_is_the_address_url_reverses():
    assert _render("northwind") == [
        reverse("planning:dashboard", args=["northwind"]),
        reverse("accounts:profile"),
    ]


def test_a_renamed_workspace_links_to_its_new_address():
    _render("old-name")
    assert _render("new-name")[0] == reverse("planning:dashboard", args=["new-name"])


def test_a_link_follows_the_script_prefix():
    set_script_prefix("/pacekeeper/")
    try:
        assert _render("northwind")[0] == "/pacekeeper/w/northwind/"
    finally:
        set_script_prefix("/")
    assert _render("northwind")[0] == "/w/northwind/"

"""An address reversed once gives, for every pk, what reversing it gives."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from pacekeeper.routes import url_pattern


@pytest.mark.parametrize("name", ["personas:detail", "channels:detail", "planning:plan_detail"])
@pytest.mark.parametrize("pk", [1, 7, 42, 918_273_645, 10**20])
def test_url_pattern_matches_reverse(name, pk):
    assert url_pattern(name, "acme-co")(pk) == reverse(name, args=["acme-co", pk])


def test_url_pattern_keeps_the_script_prefix():
    set_script_prefix("/under/")
    try:
        assert url_pattern("personas:detail", "acme")(3) == "/under/w/acme/personas/3/"
    finally:
        set_script_prefix("/")


def test_url_pattern_refuses_what_reverse_refuses():
    with pytest.raises(NoReverseMatch):
        url_pattern("personas:detail", "acme")(-3)

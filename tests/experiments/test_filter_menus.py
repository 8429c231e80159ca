"""The board's and list's persona and channel menus (LongSelect, read with key
and name only) are Django's select: the same markup, whatever is chosen."""

from __future__ import annotations

import pytest
from django import forms

from experiments.forms import ExperimentFilterForm
from tests.factories import ChannelFactory, PersonaFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("chosen", [False, True])
def test_the_menus_are_djangos_select(workspace, chosen):
    personas = [PersonaFactory(workspace=workspace, name=f"P & {n}") for n in range(3)]
    channels = [ChannelFactory(workspace=workspace, name=f"<C> {n}") for n in range(2)]
    data = {"persona": personas[1].pk, "channel": channels[0].pk} if chosen else {}
    form = ExperimentFilterForm(data, workspace=workspace)
    for name in ("persona", "channel"):
        ours = str(form[name])
        form.fields[name].widget = forms.Select(choices=form.fields[name].choices)
        assert ours == str(form[name])
        assert ours.count("<option") == {"persona": 4, "channel": 3}[name]
        pick = {"persona": personas[1], "channel": channels[0]}[name]
        assert (f'value="{pick.pk}" selected>' in ours) is chosen
        assert ours.count(" selected>") == 1

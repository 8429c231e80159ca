"""Every removal asks first on a page of its own, the way without JavaScript.

The control in the list is a link (or a GET form) to the removal's address;
GET there shows what goes and a POST form; that form, posted as a plain
browser posts it (no HX-Request), removes and returns to the list. Where htmx
removes in place, it posts to the same address and confirms in the browser.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ActualFactory,
    ChannelFactory,
    ExperimentFactory,
    ExperimentResultFactory,
    PersonaFactory,
    PlanFactory,
    ResearchNoteFactory,
)

pytestmark = pytest.mark.django_db


@dataclass
class Removal:
    url: str  # the removal's own address: GET asks, POST removes
    origin: str  # the page whose control leads there
    shows: list[str]  # what the confirmation page names
    done: str  # where the removal returns
    gone: Callable[[], bool]
    htmx_target: str = ""  # the section htmx swaps when it removes in place


def _actual(workspace, **_) -> Removal:
    from planning.models import Actual

    plan = PlanFactory(workspace=workspace, name="Spring push")
    actual = ActualFactory(
        plan=plan, channel=ChannelFactory(workspace=workspace, name="Trade fairs"), amount=12
    )
    slug = workspace.slug
    return Removal(
        url=reverse("planning:actual_delete", args=[slug, actual.pk]),
        origin=reverse("planning:actual_list", args=[slug]),
        shows=["Remove 12.00 hours on Trade fairs?", "Spring push", "15 Jan 2027"],
        done=reverse("planning:actual_list", args=[slug]) + f"?plan={plan.pk}",
        gone=lambda: not Actual.objects.filter(pk=actual.pk).exists(),
    )


def _note(workspace, **_) -> Removal:
    from personas.models import ResearchNote

    persona = PersonaFactory(workspace=workspace, name="Operations Olivia")
    note = ResearchNoteFactory(persona=persona, summary="Nine calls with depot managers")
    return Removal(
        url=reverse("personas:note_delete", args=[workspace.slug, persona.pk, note.pk]),
        origin=persona.get_absolute_url(),
        shows=["from Operations Olivia?", "Nine calls with depot managers", "Interviews"],
        done=f"{persona.get_absolute_url()}#section-evidence",
        gone=lambda: not ResearchNote.objects.filter(pk=note.pk).exists(),
        htmx_target="#section-evidence",
    )


def _result(workspace, **_) -> Removal:
    from experiments.models import ExperimentResult

    experiment = ExperimentFactory(workspace=workspace, title="Podcast ads", status="running")
    result = ExperimentResultFactory(experiment=experiment, value=42, note="First episode")
    return Removal(
        url=reverse("experiments:result_delete", args=[workspace.slug, experiment.pk, result.pk]),
        origin=experiment.get_absolute_url(),
        shows=["“Podcast ads”?", "First episode", "42", "Sign-ups"],
        done=f"{experiment.get_absolute_url()}#results",
        gone=lambda: not ExperimentResult.objects.filter(pk=result.pk).exists(),
        htmx_target="#results",
    )


def _member(workspace, marketer, **_) -> Removal:
    from workspaces.models import Membership

    membership = Membership.objects.get(workspace=workspace, user=marketer)
    return Removal(
        url=reverse("team:member_remove", args=[workspace.slug, membership.pk]),
        origin=reverse("team:members", args=[workspace.slug]),
        shows=["Remove Bob Marketer from Northwind?", "bob@example.com", "Marketer"],
        done=reverse("team:members", args=[workspace.slug]),
        gone=lambda: not Membership.objects.filter(pk=membership.pk).exists(),
    )


def _invitation(workspace, owner, **_) -> Removal:
    from accounts.tokens import secret_hash
    from workspaces.models import Invitation

    invitation = Invitation.objects.create(
        workspace=workspace,
        email="dana@example.com",
        role="reviewer",
        created_by=owner,
        token_hash=secret_hash("confirm-invitation-token"),
        expires_at=timezone.now() + timedelta(days=7),
    )
    return Removal(
        url=reverse("team:invitation_revoke", args=[workspace.slug, invitation.pk]),
        origin=reverse("team:members", args=[workspace.slug]),
        shows=["Revoke the invitation to dana@example.com?", "Reviewer", "Alice Owner"],
        done=reverse("team:members", args=[workspace.slug]),
        gone=lambda: Invitation.objects.get(pk=invitation.pk).revoked_at is not None,
    )


def _token(workspace, owner, **_) -> Removal:
    from accounts.models import ApiToken
    from accounts.tokens import token_create

    token, _secret = token_create(user=owner, name="Looker")
    return Removal(
        url=reverse("accounts:token_revoke", args=[token.pk]),
        origin=reverse("accounts:profile"),
        shows=["Revoke the API token “Looker”?", f"{token.prefix}…", "never"],
        done=reverse("accounts:profile"),
        gone=lambda: ApiToken.objects.get(pk=token.pk).revoked_at is not None,
    )


def _share_link(workspace, owner, **_) -> Removal:
    from sharing.models import ShareLink
    from sharing.services import share_link_create

    persona = PersonaFactory(workspace=workspace, name="Finance Fiona")
    link, _token = share_link_create(
        workspace=workspace, kind="persona", target=persona, by=owner, note="Sales team"
    )
    return Removal(
        url=reverse("sharing:revoke", args=[workspace.slug, link.pk]),
        origin=reverse("sharing:list", args=[workspace.slug]),
        shows=["Revoke the link to Finance Fiona for Sales team?", "by you"],
        done=reverse("sharing:list", args=[workspace.slug]),
        gone=lambda: ShareLink.objects.get(pk=link.pk).revoked_at is not None,
    )


def _leave(workspace, owner, **_) -> Removal:
    from workspaces.models import Membership

    return Removal(
        url=reverse("team:leave", args=[workspace.slug]),
        origin=reverse("planning:dashboard", args=[workspace.slug]),
        shows=["Leave Northwind?", "You are owner of Northwind"],
        done=reverse("home"),
        gone=lambda: not Membership.objects.filter(workspace=workspace, user=owner).exists(),
    )


REMOVALS = {
    "recorded effort": _actual,
    "research note": _note,
    "experiment result": _result,
    "member": _member,
    "invitation": _invitation,
    "API token": _token,
    "shared link": _share_link,
    "leaving the workspace": _leave,
}


@pytest.fixture(params=list(REMOVALS))
def removal(request, workspace, owner, marketer) -> Removal:
    if request.param == "leaving the workspace":
        # The last owner may not leave: a second one stays behind.
        from workspaces.models import Membership

        Membership.objects.filter(workspace=workspace, user=marketer).update(role="owner")
    return REMOVALS[request.param](workspace=workspace, owner=owner, marketer=marketer)


def _text(html: str) -> str:
    """The page's words, tags dropped and spaces folded."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" ?", "?")


def test_the_control_opens_the_confirmation_page(owner_client, removal):
    html = owner_client.get(removal.origin).content.decode()
    # Without JavaScript the control is a link or a GET form to the removal's
    # page, never a form that posts straight to the removal.
    assert f'href="{removal.url}"' in html or f'method="get" action="{removal.url}"' in html
    assert f'method="post" action="{removal.url}"' not in html


def test_the_confirmation_page_names_what_goes_and_keeps_it(owner_client, removal):
    response = owner_client.get(removal.url)
    assert response.status_code == 200
    html = response.content.decode()
    text = _text(html)
    for shown in removal.shows:
        assert shown in text, f"{shown!r} not on the confirmation page"
    # One POST form, posting to the page itself, and a way back.
    forms = re.findall(r"<form [^>]*>", html)
    assert [f for f in forms if 'method="post"' in f and "danger-zone" in f] == [
        '<form method="post" class="card danger-zone stack-sm">'
    ]
    assert ">Cancel</a>" in html
    assert not removal.gone()


def test_the_confirmation_form_removes_without_javascript(owner_client, removal):
    owner_client.get(removal.url)
    response = owner_client.post(removal.url)  # as the page's form posts: no HX-Request
    assert response.status_code == 303
    assert response["Location"] == removal.done
    assert removal.gone()


def test_a_confirmation_page_is_only_for_those_who_may_remove(reviewer_client, removal):
    if removal.url.endswith("/leave/"):
        pytest.skip("any member may leave")
    assert reviewer_client.get(removal.url).status_code in (403, 404)
    assert not removal.gone()


@pytest.mark.parametrize("kind", ["research note", "experiment result"])
def test_htmx_removes_in_place_after_the_browser_asks(owner_client, workspace, owner, kind):
    removal = REMOVALS[kind](workspace=workspace, owner=owner)
    html = owner_client.get(removal.origin).content.decode()
    control = re.search(rf'<form method="get" action="{re.escape(removal.url)}"[^>]*>', html)
    assert control and f'data-hx-post="{removal.url}"' in control.group(0)
    assert "data-hx-confirm=" in control.group(0)
    response = owner_client.post(removal.url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'id="{removal.htmx_target[1:]}"' in response.content.decode()
    assert removal.gone()


def test_an_outsider_cannot_open_a_confirmation_page(outsider, removal):
    client = Client()
    client.force_login(outsider)
    assert client.get(removal.url).status_code == 404

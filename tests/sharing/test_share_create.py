"""Creating a share link: who may, what is stored, and the link shown once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import serializers
from django.urls import reverse
from django.utils import timezone

from accounts.tokens import secret_hash
from sharing.models import ShareKind, ShareLink
from tests.factories import PersonaFactory
from tests.sharing.conftest import share, token_of


def create_url(workspace, kind: str, target) -> str:
    return reverse("sharing:create", args=[workspace.slug]) + f"?kind={kind}&target={target.pk}"


@pytest.fixture
def persona(workspace):
    return PersonaFactory(workspace=workspace, name="Operations Olivia")


def test_marketer_creates_a_link_and_sees_it_once(marketer_client, marketer, workspace, persona):
    path = share(marketer_client, workspace, "persona", persona, note="Sales team")
    token = token_of(path)
    link = ShareLink.objects.get()
    assert (link.kind, link.persona, link.workspace, link.created_by) == (
        ShareKind.PERSONA,
        persona,
        workspace,
        marketer,
    )
    assert link.note == "Sales team"
    assert timedelta(days=29) < link.expires_at - timezone.now() <= timedelta(days=30)
    # At least 128 bits: token_urlsafe(32) gives 43 characters of 6 bits.
    assert len(token) >= 22 and re.fullmatch(r"[A-Za-z0-9_-]+", token)
    # Shown once: the next visit of the list no longer shows it.
    page = marketer_client.get(reverse("sharing:list", args=[workspace.slug])).content.decode()
    assert token not in page and "Operations Olivia" in page


def test_the_database_never_holds_the_token(marketer_client, workspace, persona):
    token = token_of(share(marketer_client, workspace, "persona", persona))
    link = ShareLink.objects.get()
    assert link.token_hash == secret_hash(token) and token not in link.token_hash
    # Every row of every table, sessions included.
    for model in apps.get_models():
        dump = serializers.serialize("json", model._default_manager.all())
        assert token not in dump, f"{model._meta.label} holds the token"


def test_the_new_link_travels_in_a_signed_cookie_on_the_list_page_only(
    marketer_client, workspace, persona
):
    response = marketer_client.post(create_url(workspace, "persona", persona), {"expires_in": "7"})
    cookie = response.cookies["pacekeeper_new_share"]
    assert cookie["path"] == reverse("sharing:list", args=[workspace.slug])
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    # A forged cookie shows nothing.
    marketer_client.cookies["pacekeeper_new_share"] = f"{ShareLink.objects.get().pk}:forged"
    page = marketer_client.get(response["Location"]).content.decode()
    assert 'id="new-share-link"' not in page


def test_owner_shares_a_plan_and_a_dashboard(owner_client, workspace):
    from tests.factories import PlanFactory

    plan = PlanFactory(workspace=workspace, name="Q4 2026")
    share(owner_client, workspace, "plan", plan)
    share(owner_client, workspace, "dashboard", plan)
    assert sorted(ShareLink.objects.values_list("kind", "plan__name")) == [
        ("dashboard", "Q4 2026"),
        ("plan", "Q4 2026"),
    ]


def test_until_revoked_has_no_expiry(marketer_client, workspace, persona):
    share(marketer_client, workspace, "persona", persona, expires_in="0")
    assert ShareLink.objects.get().expires_at is None


def test_the_form_names_what_is_shared(marketer_client, workspace, persona):
    page = marketer_client.get(create_url(workspace, "persona", persona)).content.decode()
    assert "Share Operations Olivia's one-pager" in page
    assert "no names or e-mail addresses of your team" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [({"expires_in": "12"}, "expires_in"), ({"expires_in": "30", "note": "x" * 121}, "note")],
)
def test_bad_input_is_refused_beside_the_field(marketer_client, workspace, persona, data, field):
    response = marketer_client.post(create_url(workspace, "persona", persona), data)
    assert response.status_code == 422
    assert f'id="id_{field}_errors"' in response.content.decode()
    assert not ShareLink.objects.exists()


def test_a_reviewer_cannot_share(reviewer_client, workspace, persona):
    url = create_url(workspace, "persona", persona)
    assert reviewer_client.get(url).status_code == 403
    assert reviewer_client.post(url, {"expires_in": "30"}).status_code == 403
    assert not ShareLink.objects.exists()


@pytest.mark.parametrize("target", ["x", "-1", "9" * 30])
def test_a_malformed_target_is_404(marketer_client, workspace, target):
    url = reverse("sharing:create", args=[workspace.slug]) + f"?kind=persona&target={target}"
    assert marketer_client.get(url).status_code == 404


def test_an_outsider_gets_404(outsider_client, workspace, persona):
    assert outsider_client.get(create_url(workspace, "persona", persona)).status_code == 404


@pytest.mark.parametrize("kind", ["persona", "plan", "dashboard", "workspace", ""])
def test_another_workspaces_object_or_an_unknown_kind_is_404(
    marketer_client, workspace, other_workspace, kind
):
    from tests.factories import PlanFactory

    theirs = PersonaFactory(workspace=other_workspace) if kind == "persona" else None
    theirs = theirs or PlanFactory(workspace=other_workspace)
    url = create_url(workspace, kind, theirs)
    assert marketer_client.get(url).status_code == 404
    assert marketer_client.post(url, {"expires_in": "30"}).status_code == 404
    assert not ShareLink.objects.exists()


def test_the_persona_page_offers_print_pdf_and_share(marketer_client, reviewer_client, persona):
    page = marketer_client.get(persona.get_absolute_url()).content.decode()
    assert "Print one-pager" in page and "Download PDF" in page and "Share link…" in page
    page = reviewer_client.get(persona.get_absolute_url()).content.decode()
    assert "Print one-pager" in page and "Download PDF" in page and "Share link…" not in page

"""The settings page of shared links: owners see and revoke all, marketers their own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sharing.models import ShareLink
from sharing.services import share_link_create
from tests.factories import PersonaFactory, PlanFactory
from tests.sharing.conftest import share

OLIVIA_ROW = '<span class="share-target">Operations Olivia</span>'


def list_url(workspace, **query) -> str:
    url = reverse("sharing:list", args=[workspace.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def revoke_url(workspace, link) -> str:
    return reverse("sharing:revoke", args=[workspace.slug, link.pk])


@pytest.fixture
def links(workspace, owner, marketer):
    """One link by each of the owner and the marketer."""
    olivia = PersonaFactory(workspace=workspace, name="Operations Olivia")
    plan = PlanFactory(workspace=workspace, name="Q4 2026")
    mine, _ = share_link_create(
        workspace=workspace, kind="persona", target=olivia, by=marketer, note="Sales team"
    )
    theirs, _ = share_link_create(workspace=workspace, kind="plan", target=plan, by=owner)
    return mine, theirs


def test_owner_sees_every_link_with_creator_expiry_and_views(owner_client, workspace, links):
    mine, theirs = links
    page = owner_client.get(list_url(workspace)).content.decode()
    assert "Operations Olivia" in page and "Q4 2026" in page
    assert "Bob Marketer" in page  # the creator of the other link
    assert mine.expires_at.strftime("%-d %b %Y") in page
    assert "For Sales team" in page
    assert page.count(">Revoke…</a>") == 2


def test_marketer_sees_only_their_own(marketer_client, workspace, links):
    page = marketer_client.get(list_url(workspace)).content.decode()
    assert "Operations Olivia" in page and "Q4 2026" not in page
    assert page.count(">Revoke…</a>") == 1


def test_views_and_last_view_are_listed(owner_client, workspace, marketer_client):
    persona = PersonaFactory(workspace=workspace, name="Digital Dan")
    path = share(marketer_client, workspace, "persona", persona)
    for address in ["10.0.0.1", "10.0.0.2", "10.0.0.1"]:
        assert Client(REMOTE_ADDR=address).get(path).status_code == 200
    link = ShareLink.objects.get()
    assert link.view_count == 3 and link.last_viewed_at is not None
    page = owner_client.get(list_url(workspace)).content.decode()
    assert '<td data-label="Views" class="num">3<br><span class="muted small">2 addresses' in page


def test_owner_revokes_anyones_link(owner_client, workspace, links):
    mine, _ = links
    response = owner_client.post(revoke_url(workspace, mine))
    assert response.status_code == 303
    mine.refresh_from_db()
    assert mine.revoked_at is not None and mine.revoked_by.email == "alice@example.com"
    active = owner_client.get(list_url(workspace)).content.decode()
    ended = owner_client.get(list_url(workspace, state="ended")).content.decode()
    assert OLIVIA_ROW not in active
    assert OLIVIA_ROW in ended and "Revoked" in ended and "by you" in ended


def test_marketer_revokes_their_own_but_not_the_owners(marketer_client, workspace, links):
    mine, theirs = links
    assert marketer_client.post(revoke_url(workspace, mine)).status_code == 303
    assert marketer_client.post(revoke_url(workspace, theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_revoking_twice_says_so(marketer_client, workspace, links):
    mine, _ = links
    marketer_client.post(revoke_url(workspace, mine))
    first = mine.__class__.objects.get(pk=mine.pk).revoked_at
    response = marketer_client.post(revoke_url(workspace, mine), follow=True)
    assert "was already revoked" in response.content.decode()
    assert mine.__class__.objects.get(pk=mine.pk).revoked_at == first


def test_reviewer_gets_403_and_outsider_404(reviewer_client, outsider_client, workspace, links):
    mine, _ = links
    assert reviewer_client.get(list_url(workspace)).status_code == 403
    assert reviewer_client.post(revoke_url(workspace, mine)).status_code == 403
    assert outsider_client.get(list_url(workspace)).status_code == 404
    assert outsider_client.post(revoke_url(workspace, mine)).status_code == 404
    mine.refresh_from_db()
    assert mine.revoked_at is None


def test_expired_links_are_listed_as_ended(owner_client, workspace, links):
    mine, _ = links
    ShareLink.objects.filter(pk=mine.pk).update(expires_at=timezone.now() - timedelta(days=1))
    active = owner_client.get(list_url(workspace)).content.decode()
    ended = owner_client.get(list_url(workspace, state="ended")).content.decode()
    assert OLIVIA_ROW not in active and OLIVIA_ROW in ended and "Expired" in ended


def test_the_list_is_paged(owner_client, owner, workspace):
    persona = PersonaFactory(workspace=workspace)
    for _ in range(27):
        share_link_create(workspace=workspace, kind="persona", target=persona, by=owner)
    first = owner_client.get(list_url(workspace)).content.decode()
    second = owner_client.get(list_url(workspace, page=2)).content.decode()
    assert first.count(">Revoke…</a>") == 25 and second.count(">Revoke…</a>") == 2
    assert "Page 1 of 2 · 27 links" in first
    assert owner_client.get(list_url(workspace, page="x")).status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_list_query_count_is_fixed(
    owner_client, owner, workspace, count, django_assert_num_queries
):
    persona = PersonaFactory(workspace=workspace)
    plan = PlanFactory(workspace=workspace)
    for i in range(count):
        target, kind = (persona, "persona") if i % 2 else (plan, "dashboard")
        share_link_create(workspace=workspace, kind=kind, target=target, by=owner)
    # session, user, the request's savepoint and its release, membership, the
    # pager's count, the page of links (with their objects, people and
    # visitors); the memberships read by the gate serve the switcher
    with django_assert_num_queries(7):
        assert owner_client.get(list_url(workspace)).status_code == 200

"""What someone without an account gets from /s/<token>/: a read-only page that
stands alone, its PDF, and plain answers once the link is gone."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.ratelimits import wait_phrase
from sharing.models import ShareLink, ShareView
from sharing.services import share_link_create
from tests.factories import (
    ChannelUsageFactory,
    ExperimentFactory,
    PersonaFactory,
    ResearchNoteFactory,
)
from tests.sharing.conftest import pdf_pages, pdf_text, share

PRIVATE = {
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "private, no-store",
}


@pytest.fixture
def olivia(workspace, marketer, owner):
    persona = PersonaFactory(
        workspace=workspace,
        name="Operations Olivia",
        quote="I need to know on Monday which orders will be late.",
        goals="Cut late deliveries below 2%",
        created_by=marketer,
        updated_by=marketer,
        reviewed_by=owner,
        reviewed_at=timezone.now(),
    )
    ChannelUsageFactory(persona=persona, channel__name="LinkedIn", share=60)
    ChannelUsageFactory(persona=persona, channel__name="TikTok", share=10, stage="emerging")
    ExperimentFactory(
        workspace=workspace, title="Operations podcast", status="running", personas=[persona]
    )
    ResearchNoteFactory(persona=persona, created_by=owner)
    return persona


@pytest.fixture
def path(marketer_client, workspace, olivia) -> str:
    return share(marketer_client, workspace, "persona", olivia)


def assert_private(response) -> None:
    for header, value in PRIVATE.items():
        assert response[header] == value, header
    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"
    assert not response.cookies, "a shared page sets no cookie"


class Links(HTMLParser):
    """Every address a page points at, and its interactive elements."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.controls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src", "action", "formaction", "data-hx-get", "data-hx-post"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if tag in ("form", "input", "textarea", "select") or (
            tag == "button" and "data-print" not in attrs
        ):
            self.controls.append(tag)


def test_anyone_opens_the_one_pager_without_signing_in(path):
    response = Client().get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Operations Olivia" in page and "I need to know on Monday" in page
    assert "LinkedIn" in page and "TikTok" in page and "Operations podcast" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert_private(response)


def test_the_page_offers_no_way_into_the_workspace_and_no_edit_control(path, workspace):
    page = Client().get(path).content.decode()
    parser = Links()
    parser.feed(page)
    token_pdf = path + "pdf/"
    strays = [u for u in parser.urls if not (u.startswith("/static/") or u == token_pdf)]
    assert strays == []
    assert parser.controls == []
    assert f"/w/{workspace.slug}" not in page


def test_no_member_name_or_email_appears(path, owner, marketer, reviewer):
    page = Client().get(path).content.decode()
    pdf = pdf_text(Client().get(path + "pdf/").content)
    for user in (owner, marketer, reviewer):
        for text in (user.name, user.email, user.email.split("@")[0]):
            assert text not in page and text not in pdf, text


def test_a_signed_in_member_gets_the_same_stand_alone_page(path, owner_client):
    anonymous = Client().get(path).content.decode()
    member = owner_client.get(path)
    assert member.content.decode() == anonymous
    assert "Sign out" not in anonymous and "Alice" not in anonymous


def test_the_pdf_is_one_page_and_counted(path):
    response = Client(REMOTE_ADDR="203.0.113.9").get(path + "pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == 'attachment; filename="operations-olivia-one-pager.pdf"'
    )
    assert pdf_pages(response.content) == 1
    assert "Operations Olivia" in pdf_text(response.content)
    assert_private(response)
    view = ShareView.objects.get()
    assert view.pdf and ShareLink.objects.get().view_count == 1


def test_every_view_is_counted_with_time_and_a_salted_hash(path):
    before = timezone.now()
    Client(REMOTE_ADDR="198.51.100.7").get(path)
    Client(REMOTE_ADDR="198.51.100.7").get(path)
    Client(REMOTE_ADDR="198.51.100.8").get(path)
    link = ShareLink.objects.get()
    assert link.view_count == 3 and link.last_viewed_at >= before
    views = list(ShareView.objects.order_by("pk"))
    assert [v.workspace_id for v in views] == [link.workspace_id] * 3
    assert all(before <= v.viewed_at <= timezone.now() for v in views)
    hashes = [v.client_hash for v in views]
    assert hashes[0] == hashes[1] != hashes[2]
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes)
    for row in ShareView.objects.values_list(flat=False):
        assert not any("198.51.100" in str(value) for value in row)


def test_the_hash_is_salted_per_link(marketer_client, workspace, olivia, path):
    other = share(marketer_client, workspace, "persona", olivia)
    Client(REMOTE_ADDR="198.51.100.7").get(path)
    Client(REMOTE_ADDR="198.51.100.7").get(other)
    first, second = ShareView.objects.order_by("pk").values_list("client_hash", flat=True)
    assert first != second


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_forwarded_address_counts(path):
    Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1").get(path)
    Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2").get(path)
    first, second = ShareView.objects.values_list("client_hash", flat=True)
    assert first != second


def test_only_get_is_answered_and_it_is_private_too(path):
    client = Client(enforce_csrf_checks=True)
    for response in (client.post(path), client.head(path)):
        assert response.status_code == 405
        assert_private(response)
    assert not ShareView.objects.exists()


def test_a_wrong_token_is_404_and_counts_nothing(path):
    token = path.split("/")[2]
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in [altered, "x", "A" * 200]:
        response = Client().get(reverse("shared:page", args=[bad]))
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()
        assert_private(response)
        assert Client().get(reverse("shared:pdf", args=[bad])).status_code == 404
    assert not ShareView.objects.exists()


def test_a_revoked_link_answers_410(path, marketer_client, workspace):
    link = ShareLink.objects.get()
    marketer_client.post(reverse("sharing:revoke", args=[workspace.slug, link.pk]))
    for url in (path, path + "pdf/"):
        response = Client().get(url)
        assert response.status_code == 410
        assert_private(response)
    page = Client().get(path).content.decode()
    assert "This shared link was withdrawn" in page and "Operations Olivia" not in page
    assert not ShareView.objects.exists()


def test_an_expired_link_answers_410(path):
    ShareLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = Client().get(path)
    assert response.status_code == 410
    assert "This shared link has expired" in response.content.decode()
    assert "Operations Olivia" not in response.content.decode()
    assert_private(response)


def test_a_link_works_until_it_expires(path):
    ShareLink.objects.update(expires_at=timezone.now() + timedelta(minutes=1))
    assert Client().get(path).status_code == 200


def test_a_deleted_persona_takes_its_links_with_it(path, olivia):
    olivia.delete()
    assert Client().get(path).status_code == 404


def test_a_link_never_shows_another_workspaces_data(marketer, workspace, other_workspace):
    """A link row pointing across workspaces (which the service refuses to
    create) still shows nothing: the target is read through the link's own
    workspace."""
    theirs = PersonaFactory(workspace=other_workspace, name="Secret Sam")
    with pytest.raises(ValueError):
        share_link_create(workspace=workspace, kind="persona", target=theirs, by=marketer)
    mine = PersonaFactory(workspace=workspace, name="Mine")
    link, token = share_link_create(workspace=workspace, kind="persona", target=mine, by=marketer)
    ShareLink.objects.filter(pk=link.pk).update(persona=theirs)
    response = Client().get(reverse("shared:page", args=[token]))
    assert response.status_code == 404 and "Secret Sam" not in response.content.decode()


@override_settings(SHARE_RATE_LIMIT="3/m")
def test_requests_are_rate_limited_per_client(path, still_clock):
    guesser = Client(REMOTE_ADDR="198.51.100.66")
    statuses = [guesser.get(path).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    limited = guesser.get(path)
    assert limited.status_code == 429 and "Too many requests" in limited.content.decode()
    assert 0 < int(limited["Retry-After"]) <= 60
    assert f"Try again {wait_phrase(int(limited['Retry-After']))}." in limited.content.decode()
    assert_private(limited)
    # Wrong tokens count too: guessing is limited like reading.
    assert guesser.get(reverse("shared:page", args=["guess"])).status_code == 429
    assert Client(REMOTE_ADDR="198.51.100.67").get(path).status_code == 200
    assert ShareLink.objects.get().view_count == 4


@override_settings(PDF_RATE_LIMIT="2/m")
def test_pdfs_have_a_tighter_limit(path, still_clock):
    client = Client(REMOTE_ADDR="198.51.100.70")
    assert [client.get(path + "pdf/").status_code for _ in range(3)] == [200, 200, 429]
    assert int(client.get(path + "pdf/")["Retry-After"]) > 0
    assert client.get(path).status_code == 200  # the page still opens


@pytest.mark.parametrize("size", [1, 25])
def test_shared_page_query_count_is_fixed(workspace, marketer, size, django_assert_num_queries):
    persona = PersonaFactory(workspace=workspace)
    for i in range(size):
        ChannelUsageFactory(persona=persona, share=i + 1, stage="core" if i % 2 else "emerging")
        ExperimentFactory(workspace=workspace, status="running", personas=[persona])
        ResearchNoteFactory(persona=persona)
    _, token = share_link_create(workspace=workspace, kind="persona", target=persona, by=marketer)
    # the request's savepoint and release; the link with its workspace; the
    # persona; its channel mix and the mix's history; its experiments; the kinds
    # of research behind it; the view recorded and counted
    with django_assert_num_queries(10):
        assert Client().get(reverse("shared:page", args=[token])).status_code == 200

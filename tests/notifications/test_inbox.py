"""The inbox, the header's bell, preferences and the e-mails' unsubscribe link."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.emails import unsubscribe_token
from notifications.models import Notification, Preference
from notifications.services import notify


def tell(workspace, people, count=1, kind="plan_submitted", start=0):
    for n in range(start, start + count):
        notify(
            workspace,
            kind,
            [p.pk for p in people],
            title=f"Event {n}",
            body=f"What happened {n}",
            url=f"/w/{workspace.slug}/plans/",
            key=f"test:{n}",
        )


def test_the_bell_counts_unread_and_the_inbox_lists_them(reviewer_client, reviewer, workspace):
    dashboard = reverse("planning:dashboard", args=[workspace.slug])
    assert 'aria-label="Inbox: 0 unread"' in reviewer_client.get(dashboard).content.decode()
    tell(workspace, [reviewer], 3)
    page = reviewer_client.get(dashboard).content.decode()
    assert (
        'aria-label="Inbox: 3 unread"' in page
        and '<span class="bell-count" aria-hidden="true">3</span>' in page
    )
    inbox = reviewer_client.get(reverse("inbox:list", args=[workspace.slug])).content.decode()
    assert inbox.index("Event 2") < inbox.index("Event 1") < inbox.index("Event 0")  # newest first
    assert inbox.count("inbox-unread") == 3 and "What happened 1" in inbox


def test_opening_a_notification_marks_it_read_and_leads_to_its_object(
    reviewer_client, reviewer, workspace
):
    tell(workspace, [reviewer], 2)
    first = Notification.objects.get(title="Event 0")
    response = reviewer_client.get(reverse("inbox:open", args=[workspace.slug, first.pk]))
    assert response.status_code == 302 and response["Location"] == f"/w/{workspace.slug}/plans/"
    first.refresh_from_db()
    assert first.read_at is not None
    assert Notification.objects.get(title="Event 1").read_at is None


def test_mark_one_then_all_read(reviewer_client, reviewer, workspace):
    tell(workspace, [reviewer], 3)
    one = Notification.objects.get(title="Event 1")
    url = reverse("inbox:read", args=[workspace.slug, one.pk])
    response = reviewer_client.post(url, {"page": "1"})
    assert response.status_code == 303 and response["Location"].endswith("/inbox/?page=1")
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    response = reviewer_client.post(reverse("inbox:read_all", args=[workspace.slug]))
    assert response.status_code == 303
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    page = reviewer_client.get(response["Location"]).content.decode()
    assert "2 notifications marked read." in page and 'aria-label="Inbox: 0 unread"' in page


def test_nobody_reads_or_marks_another_persons_notifications(
    reviewer_client, marketer_client, reviewer, marketer, workspace, outsider_client
):
    tell(workspace, [reviewer])
    theirs = Notification.objects.get()
    for client in (marketer_client, outsider_client):
        assert (
            client.get(reverse("inbox:open", args=[workspace.slug, theirs.pk])).status_code == 404
        )
        assert (
            client.post(reverse("inbox:read", args=[workspace.slug, theirs.pk])).status_code == 404
        )
    marketer_client.post(reverse("inbox:read_all", args=[workspace.slug]))
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert (
        "Event 0"
        not in marketer_client.get(reverse("inbox:list", args=[workspace.slug])).content.decode()
    )


def test_the_inbox_is_paged_with_the_same_queries_at_two_sizes(
    reviewer_client, reviewer, workspace
):
    url = reverse("inbox:list", args=[workspace.slug])
    tell(workspace, [reviewer], 3)
    with CaptureQueriesContext(connection) as small:
        assert reviewer_client.get(url).status_code == 200
    tell(workspace, [reviewer], 60, start=3)
    with CaptureQueriesContext(connection) as large:
        page = reviewer_client.get(url).content.decode()
    assert len(small) == len(large) <= 12
    print(f"inbox queries: {len(small)} with 3 notifications, {len(large)} with 63")
    assert page.count('class="inbox-item') == 20 and "Page 1 of 4" in page
    last = reviewer_client.get(url + "?page=4").content.decode()
    assert last.count('class="inbox-item') == 3 and "Event 0" in last


def test_preferences_are_saved_per_kind(reviewer_client, reviewer):
    url = reverse("notifications:preferences")
    page = reviewer_client.get(url).content.decode()
    assert "A plan is submitted for review" in page and "The weekly digest" in page
    data = {
        "plan_submitted": "in_app",
        "plan_reviewed": "both",
        "member_joined": "none",
        "job_finished": "email",
        "signal": "both",
        "digest": "none",
    }
    assert reviewer_client.post(url, data).status_code == 303
    saved = dict(Preference.objects.filter(user=reviewer).values_list("kind", "delivery"))
    assert saved["plan_submitted"] == "in_app" and saved["digest"] == "none"
    bad = reviewer_client.post(url, {**data, "digest": "in_app"})
    assert bad.status_code == 422 and "Select a valid choice" in bad.content.decode()


def test_unsubscribe_works_signed_out_for_that_person_and_kind_only(reviewer, owner):
    Preference.objects.create(user=owner, kind="plan_submitted", delivery="both")
    url = reverse(
        "notifications:unsubscribe", args=[unsubscribe_token(reviewer.pk, "plan_submitted")]
    )
    page = Client().get(url)
    assert page.status_code == 200
    assert "will no longer get e-mails for" in page.content.decode()
    saved = dict(Preference.objects.filter(user=reviewer).values_list("kind", "delivery"))
    assert saved == {"plan_submitted": "in_app"}  # still in the app; other kinds untouched
    assert Preference.objects.get(user=owner).delivery == "both"  # nobody else


def test_one_click_post_from_a_mail_client(reviewer):
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(reviewer.pk, "digest")])
    client = Client(enforce_csrf_checks=True)
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Preference.objects.get(user=reviewer, kind="digest").delivery == "none"


def test_a_tampered_or_foreign_link_changes_nothing(reviewer, owner):
    token = unsubscribe_token(reviewer.pk, "plan_submitted")
    other = token.replace(token.split(":")[0], unsubscribe_token(owner.pk, "x").split(":")[0])
    for bad in (token[:-2] + "xx", other, "nonsense"):
        assert Client().get(reverse("notifications:unsubscribe", args=[bad])).status_code == 404
    assert not Preference.objects.exists()

from __future__ import annotations

import pytest
from django.urls import reverse

from workspaces.models import Workspace, WorkspaceAlias

SETTINGS = {
    "name": "Northwind", "slug": "northwind", "default_present_share": "75", "effort_unit": "USD",
    "stale_after_days": "90", "drift_tolerance": "8", "pace_tolerance": "7", "suggest_innovator": "55", "suggest_early_adopter": "70",
    "suggest_early_majority": "80", "suggest_late_majority": "85", "suggest_laggard": "95",
    "digest_weekday": "4", "digest_hour": "17", "time_zone": "Europe/Paris",
}  # fmt: skip


def settings_url(workspace) -> str:
    return reverse("team:settings", args=[workspace.slug])


def test_owner_changes_the_defaults(owner_client, workspace):
    response = owner_client.post(settings_url(workspace), SETTINGS)
    assert response.status_code == 303
    workspace.refresh_from_db()
    assert (workspace.default_present_share, workspace.effort_unit, workspace.stale_after_days) == (
        75,
        "USD",
        90,
    )
    assert (workspace.suggest_innovator, workspace.suggest_laggard) == (55, 95)
    assert workspace.drift_tolerance == 8
    assert workspace.pace_tolerance == 7
    assert workspace.digest_moment == "Friday 17:00 Europe/Paris"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("default_present_share", "101", "less than or equal to 100"),
        ("default_present_share", "abc", "Enter a whole number"),
        ("suggest_laggard", "-1", "greater than or equal to 0"),
        ("stale_after_days", "3", "greater than or equal to 7"),
        ("drift_tolerance", "51", "less than or equal to 50"),
        ("drift_tolerance", "", "This field is required"),
        ("pace_tolerance", "0", "greater than or equal to 1"),
        ("pace_tolerance", "51", "less than or equal to 50"),
        ("pace_tolerance", "x", "Enter a whole number"),
        ("name", "", "This field is required"),
        ("name", "n" * 81, "at most 80 characters"),
        ("slug", "Not a slug!", "Enter a valid"),
        ("effort_unit", "u" * 21, "at most 20 characters"),
        ("digest_hour", "24", "less than or equal to 23"),
        ("time_zone", "Mars/Olympus", "Select a valid choice"),
    ],
)
def test_bad_settings_are_field_errors(owner_client, workspace, field, value, message):
    response = owner_client.post(settings_url(workspace), {**SETTINGS, field: value})
    assert response.status_code == 422
    assert message in response.content.decode()
    workspace.refresh_from_db()
    assert workspace.default_present_share == 80 and workspace.effort_unit == "hours"


def test_renaming_the_slug_keeps_old_links_working_for_members(
    owner_client, marketer_client, outsider_client, workspace
):
    owner_client.post(settings_url(workspace), {**SETTINGS, "slug": "northwind-co"})
    workspace.refresh_from_db()
    assert workspace.slug == "northwind-co"
    assert WorkspaceAlias.objects.get(slug="northwind").workspace == workspace
    response = marketer_client.get("/w/northwind/personas/?q=olivia")
    assert (
        response.status_code == 302 and response["Location"] == "/w/northwind-co/personas/?q=olivia"
    )
    assert outsider_client.get("/w/northwind/personas/").status_code == 404  # nothing revealed


def test_an_old_slug_cannot_be_taken_by_another_workspace(
    owner_client, outsider_client, workspace, other_workspace
):
    owner_client.post(settings_url(workspace), {**SETTINGS, "slug": "northwind-co"})
    response = outsider_client.post(
        reverse("team:settings", args=[other_workspace.slug]),
        {**SETTINGS, "name": "Elsewhere", "slug": "northwind"},
    )
    assert (
        response.status_code == 422
        and "Another workspace uses this address" in response.content.decode()
    )
    response = outsider_client.post(
        reverse("workspaces:new"), {"name": "Copycat", "slug": "northwind"}
    )
    assert response.status_code == 422


def test_renaming_back_to_the_old_slug_works(owner_client, workspace):
    owner_client.post(settings_url(workspace), {**SETTINGS, "slug": "northwind-co"})
    workspace.refresh_from_db()
    owner_client.post(settings_url(workspace), {**SETTINGS, "slug": "northwind"})
    workspace.refresh_from_db()
    assert workspace.slug == "northwind"
    assert list(WorkspaceAlias.objects.values_list("slug", flat=True)) == ["northwind-co"]


@pytest.mark.parametrize("role", ["marketer_client", "reviewer_client"])
def test_only_owners_change_settings(request, workspace, role):
    client = request.getfixturevalue(role)
    assert client.post(settings_url(workspace), SETTINGS).status_code == 403
    workspace.refresh_from_db()
    assert workspace.effort_unit == "hours"


def test_audit_shows_settings_and_membership_changes(owner_client, workspace, reviewer):
    owner_client.post(settings_url(workspace), SETTINGS)
    from workspaces.models import Membership

    target = Membership.objects.get(workspace=workspace, user=reviewer)
    owner_client.post(
        reverse("team:member_role", args=[workspace.slug, target.pk]), {"role": "marketer"}
    )
    owner_client.post(
        reverse("team:invite", args=[workspace.slug]),
        {"email": "new@example.com", "role": "reviewer"},
    )
    html = owner_client.get(reverse("team:audit", args=[workspace.slug])).content.decode()
    assert (
        "Alice Owner</strong> changed the settings" in html
        and "Effort unit" in html
        and "USD" in html
    )
    assert "made Carol Reviewer marketer (was reviewer)" in html
    assert "invited new@example.com as reviewer" in html


def test_deleting_the_workspace_needs_its_address(owner_client, workspace):
    url = reverse("team:delete", args=[workspace.slug])
    response = owner_client.post(url, {"confirm": "nope"})
    assert response.status_code == 422 and "exactly" in response.content.decode()
    assert Workspace.objects.filter(pk=workspace.pk).exists()
    assert owner_client.post(url, {"confirm": "northwind"}).status_code == 303
    assert not Workspace.objects.filter(pk=workspace.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_workspace_full_of_data_and_history_can_be_deleted(owner_client, owner, workspace):
    """Its data goes with it, and no activity entry is left naming it (the
    database's foreign keys are checked at the commit, as in production)."""
    from planning.scale import build_scale_workspace
    from workspaces.models import Activity, Membership
    from workspaces.roles import Role

    full = build_scale_workspace(4, slug="full-of-data").workspace
    Membership.objects.create(workspace=full, user=owner, role=Role.OWNER)
    assert Activity.objects.filter(workspace=full).exists()
    url = reverse("team:delete", args=[full.slug])
    assert owner_client.post(url, {"confirm": "full-of-data"}).status_code == 303
    assert not Workspace.objects.filter(slug="full-of-data").exists()
    assert not Activity.objects.filter(workspace_id=full.pk).exists()
    assert Workspace.objects.filter(pk=workspace.pk).exists()

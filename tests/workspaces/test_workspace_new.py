from __future__ import annotations

from django.urls import reverse

from workspaces.models import Membership, Workspace


def test_creator_becomes_owner(marketer_client, marketer):
    response = marketer_client.post(reverse("workspaces:new"), {"name": "Acme Corp"})
    workspace = Workspace.objects.get(name="Acme Corp")
    assert workspace.slug == "acme-corp"
    assert response["Location"] == reverse("planning:dashboard", args=[workspace.slug])
    assert Membership.objects.get(workspace=workspace, user=marketer).role == "owner"


def test_slug_is_made_unique(marketer_client, workspace):
    marketer_client.post(reverse("workspaces:new"), {"name": "Northwind"})
    assert Workspace.objects.filter(slug="northwind-2").exists()


def test_missing_name_is_a_field_error(marketer_client):
    response = marketer_client.post(reverse("workspaces:new"), {"name": "   "})
    assert response.status_code == 422
    assert "field-invalid" in response.content.decode()
    assert Workspace.objects.count() == 1


def test_overlong_name_is_refused_and_input_kept(marketer_client):
    response = marketer_client.post(
        reverse("workspaces:new"), {"name": "N" * 81, "slug": "kept-slug"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "at most 80 characters" in html
    assert 'value="kept-slug"' in html
    assert not Workspace.objects.filter(slug="kept-slug").exists()


def test_taken_slug_is_a_field_error(marketer_client, workspace):
    response = marketer_client.post(
        reverse("workspaces:new"), {"name": "Other", "slug": "northwind"}
    )
    assert response.status_code == 422
    assert "Another workspace uses this address" in response.content.decode()

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory
from workspaces.models import Membership


def url(name: str, workspace, *args) -> str:
    return reverse(f"team:{name}", args=[workspace.slug, *args])


def membership(workspace, user) -> Membership:
    return Membership.objects.get(workspace=workspace, user=user)


def test_owner_sees_members_with_role_and_join_date(
    owner_client, workspace, owner, marketer, reviewer
):
    html = owner_client.get(url("members", workspace)).content.decode()
    for person in (owner, marketer, reviewer):
        assert person.email in html
    assert 'value="reviewer" selected' in html


@pytest.mark.parametrize("role", ["marketer_client", "reviewer_client"])
def test_only_owners_manage_members(request, workspace, marketer, role):
    client = request.getfixturevalue(role)
    assert client.get(url("members", workspace)).status_code == 403
    target = membership(workspace, marketer)
    assert (
        client.post(url("member_role", workspace, target.pk), {"role": "owner"}).status_code == 403
    )
    target.refresh_from_db()
    assert target.role == "marketer"


def test_change_a_role(owner_client, workspace, reviewer):
    target = membership(workspace, reviewer)
    owner_client.post(url("member_role", workspace, target.pk), {"role": "marketer"})
    target.refresh_from_db()
    assert target.role == "marketer"


def test_bad_role_is_refused(owner_client, workspace, reviewer):
    target = membership(workspace, reviewer)
    response = owner_client.post(url("member_role", workspace, target.pk), {"role": "emperor"})
    assert response.status_code == 422
    page = response.content.decode()
    assert (
        f'<ul class="field-errors" id="role-{target.pk}_errors"><li>Choose owner, marketer or reviewer.</li></ul>'
        in page
    )
    assert f'aria-describedby="role-{target.pk}_errors"' in page
    target.refresh_from_db()
    assert target.role == "reviewer"


def test_the_last_owner_cannot_be_demoted_or_removed(owner_client, workspace, owner):
    mine = membership(workspace, owner)
    response = owner_client.post(url("member_role", workspace, mine.pk), {"role": "reviewer"})
    assert response.status_code == 422
    assert "is the only owner" in response.content.decode()
    response = owner_client.post(url("member_remove", workspace, mine.pk), follow=True)
    assert "is the only owner" in response.content.decode()
    response = owner_client.post(url("leave", workspace), follow=True)
    assert "is the only owner" in response.content.decode()
    mine.refresh_from_db()
    assert mine.role == "owner"


def test_with_two_owners_one_may_step_down(owner_client, workspace, owner, marketer):
    membership(workspace, marketer).__class__.objects.filter(
        workspace=workspace, user=marketer
    ).update(role="owner")
    mine = membership(workspace, owner)
    owner_client.post(url("member_role", workspace, mine.pk), {"role": "reviewer"})
    mine.refresh_from_db()
    assert mine.role == "reviewer"


def test_remove_a_member(owner_client, workspace, reviewer, reviewer_client):
    target = membership(workspace, reviewer)
    assert owner_client.post(url("member_remove", workspace, target.pk)).status_code == 303
    assert not Membership.objects.filter(pk=target.pk).exists()
    assert (
        reviewer_client.get(reverse("planning:dashboard", args=[workspace.slug])).status_code == 404
    )


def test_a_member_may_leave(marketer_client, workspace, marketer):
    response = marketer_client.post(url("leave", workspace))
    assert response.status_code == 303 and response["Location"] == reverse("home")
    assert not Membership.objects.filter(workspace=workspace, user=marketer).exists()


def test_a_membership_of_another_workspace_is_404(owner_client, workspace, other_workspace):
    foreign = MembershipFactory(workspace=other_workspace, user=UserFactory())
    assert owner_client.post(url("member_remove", workspace, foreign.pk)).status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()

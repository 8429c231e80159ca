"""The access matrix: every URL pattern, for every role, checked against the spec.

The URL patterns come from the resolver, not from a list kept by hand, and
``test_every_url_pattern_has_expectations`` fails on any pattern missing from
``EXPECTATIONS`` below (or any expectation whose pattern is gone). A new view
cannot escape the matrix.

The allowed roles per action are written out here from the product
specification's role table, independently of ``workspaces.roles``: the test
checks the code against the spec, not against itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

ROLES = ["anonymous", "outsider", "reviewer", "marketer", "owner"]

# The spec's role table (section 1), per action.
MEMBERS = {"reviewer", "marketer", "owner"}
ALLOWED: dict[str, set[str]] = {
    "view": MEMBERS,
    "edit": {"marketer", "owner"},
    "delete": {"owner"},
    "submit": {"marketer", "owner"},
    "review": {"reviewer", "owner"},
    "manage": {"owner"},
    "share": {"marketer", "owner"},
}

World = dict[str, Any]


@dataclass(frozen=True)
class Expect:
    """How to call one URL pattern and who may.

    ``access`` is a spec action for workspace URLs (non-members get 404, roles
    not allowed 403, anonymous users the login page), or one of:
    ``public`` (anyone), ``signed_in`` (any signed-in user), ``staff`` (the
    Django admin: everyone in the cast is sent to the admin login).
    """

    access: str
    methods: tuple[str, ...] = ("get",)
    kwargs: Callable[[World], dict] = field(default=lambda w: {})
    data: Callable[[World], dict] = field(default=lambda w: {})
    query: Callable[[World], str] = field(default=lambda w: "")


def ws(**extra: Callable[[World], Any]) -> Callable[[World], dict]:
    """kwargs for a workspace URL: the workspace's slug plus object ids."""

    def build(world: World) -> dict:
        return {"workspace_slug": world["workspace"].slug} | {
            name: getter(world) for name, getter in extra.items()
        }

    return build


def persona(w: World) -> int:
    return w["persona"].pk


def channel(w: World) -> int:
    return w["channel"].pk


def usage(w: World) -> int:
    return w["usage"].pk


def experiment(w: World) -> int:
    return w["experiment"].pk


def plan(w: World) -> int:
    return w["plan"].pk


EXPECTATIONS: dict[str, Expect] = {
    # Outside any workspace
    "home": Expect("signed_in"),
    "healthz": Expect("public"),
    "accounts:login": Expect("public", methods=("get", "post")),
    "accounts:logout": Expect("signed_in", methods=("post",)),
    "accounts:password_change": Expect("signed_in", methods=("get", "post")),
    "accounts:profile": Expect(
        "signed_in", methods=("get", "post"), data=lambda w: {"name": "Renamed"}
    ),
    "accounts:token_create": Expect(
        "signed_in", methods=("post",), data=lambda w: {"token-name": "BI"}
    ),
    "accounts:token_revoke": Expect(
        "own", methods=("get", "post"), kwargs=lambda w: {"pk": w["owner_token"].pk}
    ),
    "accounts:password_reset": Expect(
        "public", methods=("get", "post"), data=lambda w: {"email": "x@example.com"}
    ),
    "accounts:password_reset_done": Expect("public"),
    "accounts:password_reset_confirm": Expect(
        "public", kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"}
    ),
    "accounts:password_reset_complete": Expect("public"),
    # An open link, which anyone may use (an invitation to one address refuses
    # other accounts: tests/workspaces/test_invitation_binding.py).
    "invitation_accept": Expect(
        "public",
        methods=("get", "post"),
        kwargs=lambda w: {"token": w["open_link_token"]},
        data=lambda w: {
            "name": "New person",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    ),
    "workspaces:list": Expect("signed_in"),
    "workspaces:new": Expect("signed_in", methods=("get", "post"), data=lambda w: {"name": "New"}),
    # Team and settings
    "team:members": Expect("manage", kwargs=ws()),
    "team:invite": Expect(
        "manage",
        methods=("post",),
        kwargs=ws(),
        data=lambda w: {"email": "new@example.com", "role": "reviewer"},
    ),
    "team:invite_link": Expect(
        "manage",
        methods=("post",),
        kwargs=ws(),
        data=lambda w: {"link-role": "reviewer", "link-days": "7"},
    ),
    "team:member_role": Expect(
        "manage",
        methods=("post",),
        kwargs=ws(pk=lambda w: w["marketer_membership"].pk),
        data=lambda w: {"role": "reviewer"},
    ),
    "team:member_remove": Expect(
        "manage", methods=("get", "post"), kwargs=ws(pk=lambda w: w["marketer_membership"].pk)
    ),
    "team:invitation_resend": Expect(
        "manage", methods=("post",), kwargs=ws(pk=lambda w: w["invitation"].pk)
    ),
    "team:invitation_revoke": Expect(
        "manage", methods=("get", "post"), kwargs=ws(pk=lambda w: w["invitation"].pk)
    ),
    "team:leave": Expect("view", methods=("get", "post"), kwargs=ws()),
    "team:settings": Expect(
        "manage",
        methods=("get", "post"),
        kwargs=ws(),
        data=lambda w: {
            "name": "Northwind",
            "slug": "northwind",
            "default_present_share": "75",
            "effort_unit": "hours",
            "stale_after_days": "180",
            "suggest_innovator": "60",
            "suggest_early_adopter": "70",
            "suggest_early_majority": "80",
            "suggest_late_majority": "85",
            "suggest_laggard": "90",
            "digest_weekday": "0",
            "digest_hour": "8",
            "time_zone": "UTC",
        },
    ),
    "team:audit": Expect("manage", kwargs=ws()),
    "team:backup_export": Expect("manage", kwargs=ws()),
    "team:backup_import": Expect(
        "manage", methods=("get", "post"), kwargs=ws(), data=lambda w: {"slug": "copy"}
    ),
    "team:delete": Expect(
        "manage", methods=("get", "post"), kwargs=ws(), data=lambda w: {"confirm": "wrong"}
    ),
    # Imports
    "imports:upload": Expect("edit", methods=("get", "post"), kwargs=ws(kind=lambda w: "personas")),
    "imports:template": Expect("edit", kwargs=ws(kind=lambda w: "personas", fmt=lambda w: "csv")),
    "imports:preview": Expect("edit", kwargs=ws(pk=lambda w: w["batch"].pk)),
    "imports:commit": Expect("edit", methods=("post",), kwargs=ws(pk=lambda w: w["batch"].pk)),
    "imports:cancel": Expect("edit", methods=("post",), kwargs=ws(pk=lambda w: w["batch"].pk)),
    # A job's page: editors follow every job, others the work they started
    # (the reviewer started this one; tests/workspaces/test_background_exports.py).
    "imports:job": Expect("view", kwargs=ws(pk=lambda w: w["job"].pk)),
    # An export the worker wrote: for whoever asked for it (the owner, here).
    "imports:job_download": Expect("own", kwargs=ws(pk=lambda w: w["export_job"].pk)),
    "team:jobs": Expect("manage", kwargs=ws()),
    # Notifications: each member's own inbox; settings per person; unsubscribe by signed link
    "inbox:list": Expect("view", kwargs=ws()),
    "inbox:read_all": Expect("view", methods=("post",), kwargs=ws()),
    "inbox:open": Expect("own", kwargs=ws(pk=lambda w: w["notification"].pk)),
    "inbox:read": Expect("own", methods=("post",), kwargs=ws(pk=lambda w: w["notification"].pk)),
    "digest:preview": Expect("view", kwargs=ws()),
    "notifications:preferences": Expect(
        "signed_in", methods=("get", "post"), data=lambda w: {"plan_submitted": "none"}
    ),
    "notifications:unsubscribe": Expect(
        "public", methods=("get", "post"), kwargs=lambda w: {"token": w["unsubscribe_token"]}
    ),
    # Exports
    "personas:export": Expect("view", methods=("get", "post"), kwargs=ws(fmt=lambda w: "csv")),
    "channels:mix_export": Expect("view", kwargs=ws(fmt=lambda w: "xlsx")),
    "experiments:export": Expect("view", kwargs=ws(fmt=lambda w: "csv")),
    "planning:actual_export": Expect("view", kwargs=ws(fmt=lambda w: "csv")),
    # Dashboard and plans
    "planning:dashboard": Expect("view", kwargs=ws()),
    "planning:dashboard_export": Expect(
        "view", methods=("get", "post"), kwargs=ws(fmt=lambda w: "csv")
    ),
    "planning:signals_help": Expect("view", kwargs=ws()),
    "planning:signal_dismiss": Expect(
        "edit",
        methods=("post",),
        kwargs=ws(),
        data=lambda w: {"key": w["signal_dismissal"].key, "mode": "snooze-30"},
    ),
    "planning:signals_dismissed": Expect("view", kwargs=ws()),
    "planning:trends": Expect("view", kwargs=ws()),
    "planning:signal_restore": Expect(
        "edit", methods=("post",), kwargs=ws(pk=lambda w: w["signal_dismissal"].pk)
    ),
    "planning:plan_list": Expect("view", kwargs=ws()),
    "planning:plan_create": Expect(
        "edit",
        methods=("get", "post"),
        kwargs=ws(),
        data=lambda w: {
            "name": "Matrix plan",
            "start": "2027-01-01",
            "end": "2027-03-31",
            "total_effort": "100",
            "personas": [w["persona"].pk],
        },
    ),
    "planning:plan_detail": Expect("view", kwargs=ws(pk=plan)),
    "planning:plan_edit": Expect(
        "edit",
        methods=("get", "post"),
        kwargs=ws(pk=plan),
        data=lambda w: {
            "name": "Matrix plan",
            "start": "2027-01-01",
            "end": "2027-03-31",
            "total_effort": "100",
            "personas": [w["persona"].pk],
            "version": w["plan"].version,
        },
    ),
    "planning:plan_save_whatif": Expect(
        "edit",
        methods=("post",),
        kwargs=ws(pk=plan),
        data=lambda w: {
            "present_share": "70",
            "version": w["plan"].version,
            f"weight_{w['plan'].members.get().pk}": "2",
        },
    ),
    "planning:plan_balance": Expect(
        "edit",
        methods=("post",),
        kwargs=ws(pk=plan),
        data=lambda w: {
            "present_share": "70",
            "version": w["plan"].version,
            f"weight_{w['plan'].members.get().pk}": "2",
        },
    ),
    "planning:plan_submit": Expect(
        "submit",
        methods=("post",),
        kwargs=ws(pk=plan),
        data=lambda w: {"version": w["plan"].version},
    ),
    "planning:plan_approve": Expect(
        "review",
        methods=("post",),
        kwargs=ws(pk=lambda w: w["plan_in_review"].pk),
        data=lambda w: {"version": w["plan_in_review"].version},
    ),
    "planning:plan_return": Expect(
        "review",
        methods=("post",),
        kwargs=ws(pk=lambda w: w["plan_in_review"].pk),
        data=lambda w: {"version": w["plan_in_review"].version, "comment": "Matrix"},
    ),
    "planning:plan_copy": Expect(
        "edit",
        methods=("get", "post"),
        kwargs=ws(pk=plan),
        data=lambda w: {"name": "Matrix copy", "start": "2027-04-01", "end": "2027-06-30"},
    ),
    "planning:plan_compare": Expect("view", kwargs=ws(pk=plan)),
    "planning:plan_export": Expect(
        "view", methods=("get", "post"), kwargs=ws(pk=plan, fmt=lambda w: "csv")
    ),
    "planning:plan_delete": Expect("delete", methods=("get", "post"), kwargs=ws(pk=plan)),
    "planning:actual_add": Expect(
        "edit",
        methods=("post",),
        kwargs=ws(pk=plan),
        data=lambda w: {"date": "2027-01-10", "target": f"c{w['channel'].pk}", "amount": "5"},
    ),
    "planning:actual_list": Expect("view", kwargs=ws()),
    "planning:actual_edit": Expect(
        "edit",
        methods=("get", "post"),
        kwargs=ws(pk=lambda w: w["actual"].pk),
        data=lambda w: {
            "date": "2027-01-10",
            "target": f"c{w['channel'].pk}",
            "amount": "6",
            "version": w["actual"].version,
        },
    ),
    "planning:actual_delete": Expect(
        "edit", methods=("get", "post"), kwargs=ws(pk=lambda w: w["actual"].pk)
    ),
    # Personas
    "personas:list": Expect("view", kwargs=ws()),
    "personas:create": Expect(
        "edit",
        methods=("get", "post"),
        kwargs=ws(),
        data=lambda w: {"name": "Matrix Mia", "adoption_stage": "innovator"},
    ),
    "personas:detail": Expect("view", kwargs=ws(pk=persona)),
    "personas:edit_section": Expect(
        "edit",
        methods=("get", "post"),
        kwargs=ws(pk=persona, section=lambda w: "goals"),
        data=lambda w: {"goals": "Matrix goal", "version": w["persona"].version},
    ),
    "personas:use_suggestion": Expect(
        "edit",
        methods=("post",),
        kwargs=ws(pk=persona),
        data=lambda w: {"version": w["persona"].version},
    ),
    "personas:mark_reviewed": Expect("edit", methods=("post",), kwargs=ws(pk=persona)),
    "personas:note_add": Expect(
        "edit",
        methods=("post",),
        kwargs=ws(pk=persona),
        data=lambda w: {"kind": "survey", "date": "2026-01-01", "summary": "Matrix"},
    ),
    "personas:note_delete": Expect(
        "edit", methods=("get", "post"), kwargs=ws(pk=persona, note_pk=lambda w: w["note"].pk)
    ),
    "personas:archive": Expect("edit", methods=("post",), kwargs=ws(pk=persona)),
    "personas:restore": Expect("edit", methods=("post",), kwargs=ws(pk=persona)),
    "personas:duplicate": Expect("edit", methods=("post",), kwargs=ws(pk=persona)),
    "personas:delete": Expect("delete", methods=("get", "post"), kwargs=ws(pk=persona)),
    "personas:history": Expect("view", kwargs=ws(pk=persona)),
    # History pages, the activity feed and undo
    "channels:channel_history": Expect("view", kwargs=ws(pk=channel)),
    "channels:usage_history": Expect("view", kwargs=ws(pk=usage)),
    "experiments:history": Expect("view", kwargs=ws(pk=experiment)),
    "planning:plan_history": Expect("view", kwargs=ws(pk=plan)),
    "planning:actual_history": Expect("view", kwargs=ws(pk=lambda w: w["actual"].pk)),
    "activity:feed": Expect("view", kwargs=ws(), query=lambda w: "?kind=persona&period=week"),
    "activity:undo": Expect(
        "edit",
        methods=("post",),
        kwargs=ws(pk=lambda w: w["persona_change"].pk),
        data=lambda w: {"version": w["persona_change"].version, "on": "own"},
    ),
    # Channels
    "channels:list": Expect("view", kwargs=ws()),
    "channels:create": Expect(
        "edit",
        methods=("get", "post"),
        kwargs=ws(),
        data=lambda w: {"name": "Matrix channel", "category": "social"},
    ),
    "channels:detail": Expect("view", kwargs=ws(pk=channel)),
    "channels:edit": Expect(
        "edit",
        methods=("get", "post"),
        kwargs=ws(pk=channel),
        data=lambda w: {"name": "Renamed", "category": "social"},
    ),
    "channels:delete": Expect(
        "delete", methods=("get", "post"), kwargs=ws(pk=channel), data=lambda w: {"confirm": "yes"}
    ),
    "channels:merge": Expect(
        "edit",
        methods=("get", "post"),
        kwargs=ws(pk=channel),
        data=lambda w: {"target": w["other_channel"].pk, "confirm": "yes"},
    ),
    "channels:usage_add": Expect(
        "edit",
        methods=("get", "post"),
        kwargs=ws(persona_pk=persona),
        data=lambda w: {
            "new_channel": "Matrix new",
            "share": "5",
            "stage": "core",
            "trend": "steady",
            "evidence": "survey",
            "last_verified": "2026-01-01",
        },
    ),
    "channels:usage_edit": Expect(
        "edit",
        methods=("get", "post"),
        kwargs=ws(pk=usage),
        data=lambda w: {
            "share": "7",
            "stage": "core",
            "trend": "rising",
            "evidence": "survey",
            "last_verified": "2026-01-01",
            "version": w["usage"].version,
        },
    ),
    "channels:usage_share": Expect(
        "edit",
        methods=("post",),
        kwargs=ws(pk=usage),
        data=lambda w: {"share": "9", "version": w["usage"].version},
    ),
    "channels:usage_stage": Expect(
        "edit",
        methods=("post",),
        kwargs=ws(pk=usage),
        data=lambda w: {"stage": "emerging", "version": w["usage"].version},
    ),
    "channels:usage_remove": Expect("delete", methods=("get", "post"), kwargs=ws(pk=usage)),
    "channels:usage_archive": Expect("edit", methods=("post",), kwargs=ws(pk=usage)),
    "channels:usage_restore": Expect("edit", methods=("post",), kwargs=ws(pk=usage)),
    "channels:archive": Expect("edit", methods=("post",), kwargs=ws(pk=channel)),
    "channels:restore": Expect("edit", methods=("post",), kwargs=ws(pk=channel)),
    "experiments:archive": Expect("edit", methods=("post",), kwargs=ws(pk=experiment)),
    "experiments:restore": Expect("edit", methods=("post",), kwargs=ws(pk=experiment)),
    "planning:plan_archive": Expect("edit", methods=("post",), kwargs=ws(pk=plan)),
    "planning:plan_restore": Expect("edit", methods=("post",), kwargs=ws(pk=plan)),
    # Experiments
    "experiments:board": Expect("view", kwargs=ws()),
    "experiments:table": Expect("view", kwargs=ws()),
    "experiments:create": Expect(
        "edit",
        methods=("get", "post"),
        kwargs=ws(),
        data=lambda w: {
            "title": "Matrix",
            "kind": "capability",
            "personas": [w["persona"].pk],
            "baseline": "0",
            "target": "1",
            "impact": "5",
            "confidence": "5",
            "ease": "5",
            "status": "idea",
        },
    ),
    "experiments:detail": Expect("view", kwargs=ws(pk=experiment)),
    "experiments:edit": Expect(
        "edit",
        methods=("get", "post"),
        kwargs=ws(pk=experiment),
        data=lambda w: {
            "title": "Matrix",
            "kind": "capability",
            "personas": [w["persona"].pk],
            "baseline": "0",
            "target": "1",
            "impact": "5",
            "confidence": "5",
            "ease": "5",
            "version": w["experiment"].version,
        },
    ),
    "experiments:move": Expect(
        "edit",
        methods=("post",),
        kwargs=ws(pk=experiment),
        data=lambda w: {"status": "planned", "version": w["experiment"].version},
    ),
    "experiments:conclude": Expect(
        "edit",
        methods=("get", "post"),
        kwargs=ws(pk=experiment),
        data=lambda w: {
            "outcome": "drop",
            "learnings": "Matrix",
            "version": w["experiment"].version,
        },
    ),
    "experiments:graduate": Expect(
        "edit",
        methods=("get", "post"),
        kwargs=ws(pk=lambda w: w["adopted"].pk),
        data=lambda w: {f"share_{w['persona'].pk}": "10"},
    ),
    "experiments:result_add": Expect(
        "edit",
        methods=("post",),
        kwargs=ws(pk=experiment),
        data=lambda w: {"date": "2026-01-01", "value": "3"},
    ),
    "experiments:result_delete": Expect(
        "edit",
        methods=("get", "post"),
        kwargs=ws(pk=experiment, result_pk=lambda w: w["result"].pk),
    ),
    "experiments:delete": Expect("delete", methods=("get", "post"), kwargs=ws(pk=experiment)),
    # Sharing: links are created by marketers and owners; owners see and revoke
    # every link, marketers their own (the link here is the marketer's).
    "sharing:list": Expect("share", kwargs=ws()),
    "sharing:create": Expect(
        "share",
        methods=("get", "post"),
        kwargs=ws(),
        query=lambda w: f"?kind=persona&target={w['persona'].pk}",
        data=lambda w: {"expires_in": "30", "note": "Matrix"},
    ),
    "sharing:revoke": Expect(
        "share", methods=("get", "post"), kwargs=ws(pk=lambda w: w["share_link"].pk)
    ),
    "sharing:one_pager": Expect("view", kwargs=ws(pk=persona)),
    "sharing:one_pager_pdf": Expect("view", kwargs=ws(pk=persona)),
    "sharing:plan_pdf": Expect("view", kwargs=ws(pk=plan)),
    "sharing:dashboard_pdf": Expect("view", kwargs=ws(pk=plan)),
    # What people without an account open.
    "shared:page": Expect("public", kwargs=lambda w: {"token": w["share_token"]}),
    "shared:pdf": Expect("public", kwargs=lambda w: {"token": w["share_token"]}),
}

# Sample values for the Django admin's URL parameters.
ADMIN_PARAMS: dict[str, Callable[[World], str]] = {
    "app_label": lambda w: "workspaces",
    "object_id": lambda w: str(w["workspace"].pk),
    "content_type_id": lambda w: str(w["workspace_content_type"].pk),
    "id": lambda w: str(w["owner"].pk),
}
# The admin's own unnamed patterns (checked by test_admin_unnamed_patterns_are_for_staff_only).
ADMIN_UNNAMED = ("<path:object_id>/", "(?P<url>.*)$")
ADMIN_SPECIAL = {"admin:login": "public", "admin:logout": "signed_in_post"}


def iter_url_patterns(
    patterns: list, namespace: str | None = None
) -> Iterator[tuple[str | None, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from iter_url_patterns(pattern.url_patterns, inner)
        else:
            name = pattern.name
            yield (f"{namespace}:{name}" if namespace and name else name), pattern


def all_url_names() -> list[str | None]:
    return sorted(
        {name for name, _ in iter_url_patterns(get_resolver().url_patterns)},
        key=lambda n: n or "",
    )


def admin_names() -> list[str]:
    return [n for n in all_url_names() if n and n.startswith("admin:")]


def app_names() -> list[str]:
    """The site's URL names; the admin's and the API's have tests of their own
    (the API's walk is tests/api/test_api_matrix.py, with tokens)."""
    return [n for n in all_url_names() if n and not n.startswith(("admin:", "api:"))]


def test_every_url_pattern_has_expectations():
    unnamed = [
        str(p.pattern)
        for name, p in iter_url_patterns(get_resolver().url_patterns)
        if name is None and not str(p.pattern).startswith(ADMIN_UNNAMED)
    ]
    assert not unnamed, (
        f"Every URL pattern needs a name so the access matrix can call it: {unnamed}"
    )
    untested = sorted(set(app_names()) - set(EXPECTATIONS))
    assert not untested, f"Some URLs are untested! Add them to EXPECTATIONS: {untested}"
    stale = sorted(set(EXPECTATIONS) - set(app_names()))
    assert not stale, f"EXPECTATIONS names URLs that no longer exist: {stale}"


def test_every_admin_url_parameter_is_known(world):
    for name in admin_names():
        _admin_reverse(name, world)  # fails if a parameter is unknown


@pytest.fixture
def world(db, workspace, owner, marketer, reviewer, outsider) -> World:
    """One of everything in the workspace, for URLs that name an object."""
    from django.contrib.contenttypes.models import ContentType

    from tests.factories import (
        ActualFactory,
        ChannelFactory,
        ChannelUsageFactory,
        ExperimentFactory,
        ExperimentResultFactory,
        PersonaFactory,
        PlanFactory,
        ResearchNoteFactory,
    )
    from workspaces.models import Workspace

    persona = PersonaFactory(workspace=workspace, name="Matrix persona")
    from personas.services import persona_update
    from workspaces.models import Activity

    persona.goals = "Matrix goal"
    persona_update(
        persona=persona, expected_version=persona.version, user=marketer, fields=["goals"]
    )
    channel = ChannelFactory(workspace=workspace, name="Matrix channel A")
    experiment = ExperimentFactory(workspace=workspace, status="running", personas=[persona])
    plan = PlanFactory(workspace=workspace, personas=[persona])
    from accounts.tokens import secret_hash
    from workspaces.models import Invitation, Membership

    token = "matrix-invitation-token"
    invitation = Invitation.objects.create(
        workspace=workspace,
        email="invitee@example.com",
        role="reviewer",
        token_hash=secret_hash(token),
        expires_at=timezone.now() + timedelta(days=7),
    )
    Invitation.objects.create(
        workspace=workspace,
        open_link=True,
        role="reviewer",
        token_hash=secret_hash("matrix-open-link-token"),
        expires_at=timezone.now() + timedelta(days=7),
    )
    from accounts.tokens import token_create
    from notifications.emails import unsubscribe_token
    from notifications.models import Notification
    from sharing.services import share_link_create
    from workspaces.models import ExportFile, ImportBatch, Job

    share_link, share_token = share_link_create(
        workspace=workspace, kind="persona", target=persona, by=marketer
    )
    from planning.models import SignalDismissal

    return {
        "signal_dismissal": SignalDismissal.objects.create(
            workspace=workspace,
            key=f"stale-persona:persona:{persona.pk}",
            kind="stale-persona",
            text="Matrix persona has not been reviewed for 180 days.",
            mode="dismissed",
            by=marketer,
        ),
        "persona_change": Activity.objects.get(kind="persona", action="changed"),
        "share_link": share_link,
        "share_token": share_token,
        "owner_token": token_create(user=owner, name="Matrix")[0],
        "batch": ImportBatch.objects.create(
            workspace=workspace, kind="personas", filename="m.csv", rows=[{"name": "Matrix import"}]
        ),
        "notification": Notification.objects.create(
            workspace=workspace, recipient=owner, kind="signal", title="Matrix", url="/", key="m"
        ),
        "unsubscribe_token": unsubscribe_token(reviewer.pk, "digest"),
        "job": Job.objects.create(workspace=workspace, title="Matrix export", started_by=reviewer),
        "export_job": ExportFile.objects.create(
            workspace=workspace,
            job=Job.objects.create(
                workspace=workspace, title="Matrix export", started_by=owner, status="done"
            ),
            filename="matrix.csv",
            content_type="text/csv",
            data=b"name\nMatrix\n",
        ).job,
        "invitation": invitation,
        "open_link_token": "matrix-open-link-token",
        "marketer_membership": Membership.objects.get(workspace=workspace, user=marketer),
        "plan": plan,
        "actual": ActualFactory(plan=plan, channel=channel),
        "plan_in_review": PlanFactory(workspace=workspace, personas=[persona], status="in_review"),
        "experiment": experiment,
        "result": ExperimentResultFactory(experiment=experiment),
        "adopted": ExperimentFactory(
            workspace=workspace,
            kind="channel",
            channel=channel,
            status="concluded",
            outcome="adopt",
            personas=[persona],
        ),
        "channel": channel,
        "other_channel": ChannelFactory(workspace=workspace, name="Matrix channel B"),
        "usage": ChannelUsageFactory(persona=persona, channel=channel),
        "persona": persona,
        "note": ResearchNoteFactory(persona=persona),
        "workspace": workspace,
        "owner": owner,
        "marketer": marketer,
        "reviewer": reviewer,
        "outsider": outsider,
        "workspace_content_type": ContentType.objects.get_for_model(Workspace),
    }


def _client(world: World, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world[role])
    return client


def _admin_reverse(name: str, world: World) -> str:
    pattern = dict(iter_url_patterns(get_resolver().url_patterns))[name]
    regex = pattern.pattern.regex
    params = list(regex.groupindex)
    if regex.groups > len(params):
        # django-simple-history's object history pages use unnamed groups:
        # (object id, history id).
        assert name.endswith("_simple_history") and regex.groups == 2, (
            f"The access matrix does not know how to call {name}"
        )
        return reverse(name, args=[str(world["workspace"].pk), "1"])
    missing = [p for p in params if p not in ADMIN_PARAMS]
    assert not missing, f"The access matrix does not know how to call {name}: {missing}"
    return reverse(name, kwargs={p: ADMIN_PARAMS[p](world) for p in params})


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


def _cases() -> Iterator[Any]:
    for name in app_names():
        expect = EXPECTATIONS.get(name)
        if expect is None:
            continue  # reported by test_every_url_pattern_has_expectations
        for method in expect.methods:
            for role in ROLES:
                yield pytest.param(name, method, role, id=f"{name}-{method}-{role}")


@pytest.mark.parametrize(("name", "method", "role"), list(_cases()))
def test_url_answers_each_role_as_the_spec_says(world, name, method, role):
    expect = EXPECTATIONS[name]
    url = reverse(name, kwargs=expect.kwargs(world)) + expect.query(world)
    client = _client(world, role)
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, expect.data(world))
    status = response.status_code
    assert status < 500, f"{name} {method} as {role} crashed with {status}"
    if method == "post" and role != "anonymous":
        assert status not in (301, 302), f"{name}: a POST answers 303 See Other, not {status}"

    if expect.access == "public":
        assert status not in (403, 404, 405), f"{name} should be open to everyone, got {status}"
    elif role == "anonymous":
        assert _is_login_redirect(response), (
            f"{name} must send anonymous users to the login page, got {status}"
        )
    elif expect.access == "signed_in":
        assert status not in (403, 404, 405), f"{name} should be open to {role}, got {status}"
    elif expect.access == "own":  # a person's own things: the owner's, here
        # Opening one's own: a page (a confirmation) or a redirect to it.
        expected = ((200, 302) if method == "get" else (303,)) if role == "owner" else (404,)
        assert status in expected, f"{name} as {role}: {status}"
    elif role == "outsider":
        assert status == 404, f"{name} must answer 404 to a non-member, got {status}"
    elif role in ALLOWED[expect.access]:
        assert status not in (403, 404, 405), f"{name} should allow a {role}, got {status}"
    else:
        assert status == 403, f"{name} must refuse a {role} with 403, got {status}"


@pytest.mark.parametrize("name", admin_names())
@pytest.mark.parametrize("role", ROLES)
def test_admin_is_for_staff_only(world, name, role):
    url = _admin_reverse(name, world)
    client = _client(world, role)
    special = ADMIN_SPECIAL.get(name)
    if special == "signed_in_post":
        response = client.post(url)
        assert response.status_code == 302
        return
    response = client.get(url)
    if special == "public":
        assert response.status_code == 200
        return
    assert response.status_code == 302, f"{name} as {role}: {response.status_code}"
    assert _is_staff_login_redirect(response, role), f"{name} as {role}: {response['Location']}"


def _is_staff_login_redirect(response, role: str) -> bool:
    """Non-staff users go to the admin's login; anonymous ones may meet the site's first."""
    logins = [reverse("admin:login")] + ([reverse("accounts:login")] if role == "anonymous" else [])
    return response.status_code == 302 and response["Location"].startswith(tuple(logins))


@pytest.mark.parametrize("role", ROLES)
def test_admin_unnamed_patterns_are_for_staff_only(world, role):
    """The admin's unnamed patterns: an object's short URL and the catch-all."""
    client = _client(world, role)
    for url in [f"/admin/workspaces/workspace/{world['workspace'].pk}/", "/admin/no/such/page/"]:
        response = client.get(url)
        assert _is_staff_login_redirect(response, role), f"{url} as {role}: {response.status_code}"

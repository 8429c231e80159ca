from __future__ import annotations

import copy
import io
import json

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from personas.models import Persona
from planning.models import Plan, PlanLine
from tests.factories import ChannelUsageFactory, PersonaFactory, PlanFactory
from workspaces import backup, registry
from workspaces.backup import BackupRefused, workspace_export, workspace_import
from workspaces.models import Membership, Workspace, WorkspaceAlias


@pytest.fixture
def demo(db) -> Workspace:
    call_command("seed_demo", "--password", "x", stdout=io.StringIO())
    return Workspace.objects.get(slug="northwind")


def comparable(document: dict) -> dict:
    """The document without what differs between two exports by design."""
    document = copy.deepcopy(document)
    document.pop("exported_at")
    document["workspace"].pop("slug")
    return document


def every_row_count() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for label in ["accounts", "workspaces", "personas", "channels", "experiments", "planning"]
        for model in apps.get_app_config(label).get_models()
    }


def keys_in(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_in(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_in(v)}
    return set()


# --- The round trip ---------------------------------------------------------


def test_round_trip_of_the_demo_gives_the_same_document(demo):
    first = workspace_export(demo)
    copy_ = workspace_import(first, slug="northwind-copy")
    second = workspace_export(copy_)

    assert second["workspace"]["slug"] == "northwind-copy"
    assert comparable(second) == comparable(first)
    # Not a trivial equality: the demo's every kind of object and its history travel.
    counts = backup.backup_counts(first)
    assert all(counts[key] > 0 for key in counts), counts
    assert set(first["history"]) == {
        "workspace", "memberships", "personas", "research_notes", "channels", "channel_usages",
        "experiments", "experiment_results", "plans", "plan_personas", "actuals",
    }  # fmt: skip


def test_the_document_holds_references_not_database_ids(demo):
    document = workspace_export(demo)
    rows = [document[s.key] for s in backup.sections()] + list(document["history"].values())
    assert not {"id", "pk", "workspace", "workspace_id", "history_id"} & keys_in(rows)
    for section in backup.sections():
        refs = [row["ref"] for row in document[section.key]]
        assert refs == list(range(1, len(refs) + 1))
    line = next(row for row in document["plan_lines"] if row["kind"] == "channel")
    assert isinstance(line["plan"], int) and isinstance(line["channel"], int)
    assert document["plans"][0]["approved_by"] == "ravi@example.com"
    assert isinstance(document["plans"][0]["total_effort"], str)
    json.dumps(document)  # JSON values only


def test_imported_objects_and_history_belong_to_the_new_workspace(demo):
    before = every_row_count()
    imported = workspace_import(workspace_export(demo), slug="northwind-copy")
    for section in backup.sections():
        model = section.model
        assert (
            model.objects.filter(workspace=imported).count()
            == model.objects.filter(workspace=demo).count()
        )
        history = getattr(model, "history", None)
        if history is not None:
            assert history.model.objects.filter(workspace=imported).count() == (
                history.model.objects.filter(workspace=demo).count()
            )
    assert Workspace.history.filter(id=imported.pk).count() == 1
    assert imported.created_at == demo.created_at
    # The original is left alone, and nobody new signed up on the way.
    after = every_row_count()
    assert after["personas.Persona"] == 2 * before["personas.Persona"]
    assert after["accounts.User"] == before["accounts.User"]


def test_the_imported_approved_plan_page_renders(demo):
    owen = User.objects.get(email="owen@example.com")
    imported = workspace_import(workspace_export(demo), slug="northwind-copy", by=owen)
    plan = Plan.objects.filter(workspace=imported, status="approved").order_by("-start").first()
    assert PlanLine.objects.filter(plan=plan).exists()
    client = Client()
    client.force_login(owen)
    response = client.get(reverse("planning:plan_detail", args=[imported.slug, plan.pk]))
    assert response.status_code == 200
    assert plan.name in response.content.decode()


def test_a_plan_copied_from_another_keeps_its_origin(owner, workspace):
    original = PlanFactory(workspace=workspace, name="Q1")
    PlanFactory(workspace=workspace, name="Q2", copied_from=original)
    imported = workspace_import(workspace_export(workspace), slug="northwind-copy")
    copied = Plan.objects.get(workspace=imported, name="Q2")
    assert copied.copied_from == Plan.objects.get(workspace=imported, name="Q1")


# --- People -----------------------------------------------------------------


def test_missing_people_are_created_without_a_password(owner, reviewer, workspace):
    PersonaFactory(workspace=workspace, created_by=reviewer)
    document = workspace_export(workspace)
    reviewer.delete()
    imported = workspace_import(document, slug="northwind-copy")
    carol = User.objects.get(email="carol@example.com")
    assert carol.name == "Carol Reviewer" and carol.is_active
    assert not carol.has_usable_password()
    assert Membership.objects.get(workspace=imported, user=carol).role == "reviewer"
    assert imported.memberships.get(user=owner).role == "owner"


def test_the_importing_owner_becomes_an_owner(owner, marketer, workspace, outsider):
    imported = workspace_import(workspace_export(workspace), slug="northwind-copy", by=outsider)
    assert Membership.objects.get(workspace=imported, user=outsider).role == "owner"
    imported = workspace_import(workspace_export(workspace), slug="northwind-two", by=marketer)
    assert Membership.objects.get(workspace=imported, user=marketer).role == "owner"


# --- Refusals ---------------------------------------------------------------


def test_a_broken_document_leaves_nothing_behind(demo):
    document = workspace_export(demo)
    document["users"].append({"email": "newcomer@example.com", "name": "Newcomer"})
    document["memberships"].append(
        {**document["memberships"][0], "ref": 99, "email": "newcomer@example.com"}
    )
    document["plan_lines"][-1]["persona"] = 999  # half-way: after personas, plans, …
    before = every_row_count()
    with pytest.raises(BackupRefused, match=r"plan_lines #\d+: persona points to personas #999"):
        workspace_import(document, slug="northwind-copy")
    assert every_row_count() == before
    assert not Workspace.objects.filter(slug="northwind-copy").exists()
    assert not User.objects.filter(email="newcomer@example.com").exists()


def test_a_value_the_database_refuses_leaves_nothing_behind(demo):
    document = workspace_export(demo)
    document["actuals"][-1]["amount"] = "-5.00"  # the database's check constraint
    before = every_row_count()
    with pytest.raises(BackupRefused, match="does not hold together"):
        workspace_import(document, slug="northwind-copy")
    assert every_row_count() == before


def test_a_backup_from_a_newer_pacekeeper_is_refused(owner, workspace):
    document = {**workspace_export(workspace), "format_version": 2}
    with pytest.raises(BackupRefused) as refused:
        workspace_import(document, slug="northwind-copy")
    assert str(refused.value) == (
        "This backup was made by a newer Pacekeeper (format 2); this server reads format 1 at most."
    )


@pytest.mark.parametrize(
    "document",
    [{"format": "someone-else", "format_version": 1}, {"name": "Northwind"}, [], "backup"],
)
def test_a_foreign_document_is_refused(db, document):
    with pytest.raises(BackupRefused, match="not a Pacekeeper workspace backup"):
        workspace_import(document, slug="northwind-copy")


def test_an_address_in_use_is_refused(owner, workspace, other_workspace):
    document = workspace_export(workspace)
    with pytest.raises(BackupRefused, match="Another workspace uses the address “elsewhere”"):
        workspace_import(document, slug="elsewhere")
    WorkspaceAlias.objects.create(slug="northwind-old", workspace=workspace)
    with pytest.raises(BackupRefused) as refused:
        workspace_import(document, slug="northwind-old")
    assert refused.value.about == "slug"


def test_a_bad_value_is_refused_with_where_it_is(owner, workspace):
    PersonaFactory(workspace=workspace)
    document = workspace_export(workspace)
    document["personas"][0]["adoption_stage"] = "visionary"
    with pytest.raises(BackupRefused, match="personas #1: adoption_stage “visionary”"):
        workspace_import(document, slug="northwind-copy")


def test_every_tenant_table_is_in_the_backup_or_left_out_on_purpose():
    covered = {s.model._meta.label for s in backup.sections()} | {"workspaces.Membership"}
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            continue
        links = [f for f in model._meta.concrete_fields if f.related_model is Workspace]
        if links:
            assert model._meta.label in covered | set(backup.LEFT_OUT), model._meta.label
    assert backup.check_sections() == []


def test_a_table_no_app_registered_stops_every_backup(owner, workspace, monkeypatch):
    kept = [s for s in registry.BACKUP_SECTIONS if s.key != "actuals"]
    monkeypatch.setattr(registry, "BACKUP_SECTIONS", kept)
    monkeypatch.setattr(backup, "BACKUP_SECTIONS", kept)
    with pytest.raises(ImproperlyConfigured, match=r"planning\.Actual would be missing"):
        workspace_export(workspace)
    (error,) = backup.check_sections()
    assert error.id == "workspaces.E001" and "planning.Actual" in error.msg


def test_a_section_registered_before_what_it_points_into_is_refused(monkeypatch):
    reordered = sorted(registry.BACKUP_SECTIONS, key=lambda s: s.key != "plan_lines")
    monkeypatch.setattr(backup, "BACKUP_SECTIONS", reordered)
    with pytest.raises(ImproperlyConfigured, match="plan_lines points into"):
        backup.sections()


# --- The settings page ------------------------------------------------------


def export_url(workspace) -> str:
    return reverse("team:backup_export", args=[workspace.slug])


def import_url(workspace) -> str:
    return reverse("team:backup_import", args=[workspace.slug])


def upload(document, name: str = "northwind-backup.json") -> SimpleUploadedFile:
    content = document if isinstance(document, bytes) else json.dumps(document).encode()
    return SimpleUploadedFile(name, content, content_type="application/json")


def test_settings_page_links_to_the_backup(owner_client, workspace):
    html = owner_client.get(reverse("team:settings", args=[workspace.slug])).content.decode()
    assert export_url(workspace) in html and import_url(workspace) in html


def test_owner_downloads_the_backup(owner_client, workspace):
    ChannelUsageFactory(persona=PersonaFactory(workspace=workspace, name="Opérations Olivia"))
    response = owner_client.get(export_url(workspace))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="northwind-backup.json"'
    document = json.loads(response.content)
    assert document["format"] == "pacekeeper-workspace"
    assert document["personas"][0]["name"] == "Opérations Olivia"
    assert document["channel_usages"][0]["persona"] == 1


def test_owner_imports_a_backup_into_a_new_workspace(owner_client, owner, workspace):
    PersonaFactory(workspace=workspace, name="Operations Olivia")
    document = workspace_export(workspace)
    assert owner_client.get(import_url(workspace)).status_code == 200
    response = owner_client.post(
        import_url(workspace),
        {"file": upload(document), "slug": "northwind-copy", "name": "Northwind (copy)"},
    )
    assert response.status_code == 303
    assert response["Location"] == reverse("planning:dashboard", args=["northwind-copy"])
    imported = Workspace.objects.get(slug="northwind-copy")
    assert imported.name == "Northwind (copy)"
    assert imported.memberships.get(user=owner).role == "owner"
    assert imported.history.count() == 1
    followed = owner_client.get(response["Location"])
    assert "is imported from the backup" in followed.content.decode()


@pytest.mark.parametrize("client_name", ["marketer_client", "reviewer_client"])
def test_only_owners_back_up_and_import(request, workspace, client_name):
    client = request.getfixturevalue(client_name)
    assert client.get(export_url(workspace)).status_code == 403
    assert client.get(import_url(workspace)).status_code == 403
    document = {"format": backup.FORMAT, "format_version": 1}
    response = client.post(import_url(workspace), {"file": upload(document), "slug": "mine"})
    assert response.status_code == 403
    assert not Workspace.objects.filter(slug="mine").exists()


def test_outsider_gets_404(outsider_client, workspace):
    assert outsider_client.get(export_url(workspace)).status_code == 404
    assert outsider_client.get(import_url(workspace)).status_code == 404
    response = outsider_client.post(import_url(workspace), {"slug": "mine"})
    assert response.status_code == 404


def test_export_refuses_post(owner_client, workspace):
    assert owner_client.post(export_url(workspace)).status_code == 405


@pytest.mark.parametrize(
    ("content", "slug", "message"),
    [
        (b"{not json", "northwind-copy", "This file is not JSON"),
        (b"\xff\xfe\x00garbage", "northwind-copy", "This file is not JSON"),
        (b'{"format": "other"}', "northwind-copy", "not a Pacekeeper workspace backup"),
        (
            b'{"format": "pacekeeper-workspace", "format_version": 2}',
            "northwind-copy",
            "This backup was made by a newer Pacekeeper (format 2)",
        ),
        (None, "northwind", "Another workspace uses this address"),
        (None, "Not a slug!", "Enter a valid"),
    ],
)
def test_a_bad_upload_is_a_field_error(owner_client, workspace, content, slug, message):
    content = content or json.dumps(workspace_export(workspace)).encode()
    before = Workspace.objects.count()
    response = owner_client.post(import_url(workspace), {"file": upload(content), "slug": slug})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Workspace.objects.count() == before


def test_a_file_over_the_limit_is_refused(owner_client, workspace, monkeypatch):
    monkeypatch.setattr(backup, "MAX_BYTES", 10)
    response = owner_client.post(
        import_url(workspace), {"file": upload(workspace_export(workspace)), "slug": "big"}
    )
    assert response.status_code == 422
    assert "larger than 20 MB" in response.content.decode()


def test_a_damaged_backup_is_a_field_error_and_imports_nothing(owner_client, workspace):
    PersonaFactory(workspace=workspace)
    document = workspace_export(workspace)
    document["personas"][0]["name"] = None
    response = owner_client.post(
        import_url(workspace), {"file": upload(document), "slug": "northwind-copy"}
    )
    assert response.status_code == 422
    assert "personas #1: name cannot be empty." in response.content.decode()
    assert not Workspace.objects.filter(slug="northwind-copy").exists()


def test_a_newcomer_in_the_backup_gets_an_account(workspace, owner):
    document = workspace_export(workspace)
    document["memberships"].append(
        {"ref": 9, "email": "dora@example.com", "name": "Dora New", "role": "marketer",
         "joined": "2026-01-02T03:04:05+00:00"}
    )  # fmt: skip
    workspace_import(document, slug="northwind-copy")  # as the command does
    dora = User.objects.get(email="dora@example.com")
    membership = Membership.objects.get(workspace__slug="northwind-copy", user=dora)
    assert membership.role == "marketer" and membership.created_at.year == 2026


def test_an_import_from_the_page_adds_no_one_but_the_importer(
    owner_client, owner, marketer, workspace
):
    document = workspace_export(workspace)
    response = owner_client.post(
        import_url(workspace), {"file": upload(document), "slug": "northwind-copy"}
    )
    assert response.status_code == 303
    members = set(
        Membership.objects.filter(workspace__slug="northwind-copy").values_list(
            "user__email", "role"
        )
    )
    assert members == {(owner.email, "owner")}  # Bob and Carol are invited, not added by file


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        b'{"format": "pacekeeper-workspace", "x": ' + b"[{}," * 20 + b"1" + b"]" * 20 + b"}",
    ],
)
def test_deeply_nested_json_is_a_field_error(owner_client, workspace, content):
    before = Workspace.objects.count()
    response = owner_client.post(
        import_url(workspace), {"file": upload(content), "slug": "northwind-copy"}
    )
    assert response.status_code == 422
    assert "nests lists or objects more than 16 levels deep" in response.content.decode()
    assert Workspace.objects.count() == before


def test_brackets_inside_text_do_not_count_as_nesting(owner_client, owner, workspace):
    PersonaFactory(workspace=workspace, name='[[[[[[[[[[[[[[[[[[[[ {{{{{{{{{{{{{{{{{{{{ \\" [[[[')
    document = json.dumps(workspace_export(workspace)).encode()
    response = owner_client.post(
        import_url(workspace), {"file": upload(document), "slug": "northwind-copy"}
    )
    assert response.status_code == 303
    copy = Workspace.objects.get(slug="northwind-copy")
    assert Persona.objects.get(workspace=copy).name.startswith("[[[[")


def test_the_demo_backup_nests_well_under_the_limit(demo):
    text = backup.document_to_json(backup.workspace_export(demo))
    assert backup._depth(text) <= backup.MAX_DEPTH // 2


def test_round_trip_with_archived_objects_and_deleted_history(demo):
    from channels.models import Channel, ChannelUsage
    from channels.services import channel_delete, usage_remove
    from experiments.models import Experiment
    from workspaces.history import feed
    from workspaces.versioning import set_archived

    owner = User.objects.get(email="owen@example.com")
    set_archived(Experiment.objects.filter(workspace=demo).first(), archived=True, user=owner)
    set_archived(Channel.objects.get(workspace=demo, name="Instagram"), archived=True, user=owner)
    usage_remove(usage=ChannelUsage.objects.filter(workspace=demo).last(), user=owner)
    channel_delete(channel=Channel.objects.get(workspace=demo, name="TikTok"), user=owner)

    first = workspace_export(demo)
    copy_ = workspace_import(first, slug="northwind-copy")
    second = workspace_export(copy_)
    assert comparable(second) == comparable(first)  # 0 differences
    live = len(first["channels"])
    deleted = [r for r in first["history"]["channels"] if r["object"] > live]
    # The catalog starts without history rows: only the deletion is recorded.
    assert [(r["name"], r["history_type"]) for r in deleted] == [("TikTok", "-")]
    live = len(first["channel_usages"])
    assert {"+", "-"} <= {
        r["history_type"] for r in first["history"]["channel_usages"] if r["object"] > live
    }
    assert sum(r["archived"] for r in first["experiments"]) == 1
    assert Channel.objects.get(workspace=copy_, name="Instagram").archived
    assert Experiment.objects.filter(workspace=copy_, archived=True).count() == 1
    # The new workspace's activity tells the same story, deletions included.
    words = [e.text + " " + e.name for e in feed(copy_, kind="channel").entries]
    assert "deleted the channel TikTok" in words
    assert [e.text for e in feed(copy_).entries] == [e.text for e in feed(demo).entries]

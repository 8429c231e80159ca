from __future__ import annotations

import io
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from personas.models import Persona
from tests.factories import PersonaFactory
from tests.tasks import run_queued_tasks
from workspaces.models import ImportBatch, Job

HEADER = "name,role_title,segment,company_size,adoption_stage,priority,present_share_override,summary,goals\n"


def csv_file(text: str, name: str = "personas.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def upload(client, workspace, file, kind="personas"):
    return client.post(reverse("imports:upload", args=[workspace.slug, kind]), {"file": file})


def preview_of(client, response):
    assert response.status_code == 303, response.content.decode()[:500]
    return client.get(response["Location"])


def commit(client, workspace, batch_pk=None, **data):
    batch_pk = batch_pk or ImportBatch.objects.get().pk
    return client.post(reverse("imports:commit", args=[workspace.slug, batch_pk]), data)


def test_preview_shows_new_update_and_unchanged_rows_then_imports(
    marketer_client, marketer, workspace
):
    PersonaFactory(
        workspace=workspace,
        name="Digital Dan",
        role_title="Director",
        segment="Software",
        adoption_stage="early_majority",
        priority=4,
    )
    PersonaFactory(
        workspace=workspace,
        name="Same Sam",
        role_title="CEO",
        segment="Retail",
        adoption_stage="innovator",
        priority=3,
    )
    text = HEADER + (
        "Operations Olivia,Head of Ops,Logistics,201-1000,Late majority,5,85,Runs warehouses,Fewer late orders\n"
        "Digital Dan,Director of Digital,Software,,early_majority,4,,,\n"
        "Same Sam,CEO,Retail,,Innovator,3,,,\n"
    )
    page = preview_of(
        marketer_client, upload(marketer_client, workspace, csv_file(text))
    ).content.decode()
    assert re.search(r"New</p><p class=\"stat-value\">1<", page)
    assert re.search(r"Updated</p><p class=\"stat-value\">1<", page)
    assert re.search(r"Unchanged</p><p class=\"stat-value\">1<", page)
    assert Persona.objects.filter(workspace=workspace).count() == 2  # a preview saves nothing
    response = commit(marketer_client, workspace)
    assert response.status_code == 303
    olivia = Persona.objects.get(name="Operations Olivia")
    assert (
        olivia.adoption_stage,
        olivia.priority,
        olivia.present_share_override,
        olivia.company_size,
    ) == ("late_majority", 5, 85, "201-1000")
    assert olivia.created_by == marketer and olivia.history.count() == 1
    dan = Persona.objects.get(name="Digital Dan")
    assert dan.role_title == "Director of Digital" and dan.version == 2
    assert Persona.objects.get(name="Same Sam").version == 1  # unchanged rows are not touched
    assert not ImportBatch.objects.exists()


def test_one_bad_row_and_nothing_is_imported(marketer_client, workspace):
    text = HEADER + (
        "Good Gail,,,,,3,,,\n"
        ",No name,,,,3,,,\n"
        "Bad Bob,,,,visionary,9,130,,\n"
        "Typed Tia,,,,,three,abc,,\n"
        "Good Gail,,,,,3,,,\n"
    )
    page = preview_of(
        marketer_client, upload(marketer_client, workspace, csv_file(text))
    ).content.decode()
    assert "Fix the rows in error" in page
    for message in [
        "This field is required",
        "Select a valid choice",
        "less than or equal to 5",
        "less than or equal to 100",
        "Enter a whole number",
        "appears twice",
    ]:
        assert message in page, message
    response = commit(marketer_client, workspace)
    assert response.status_code == 422
    assert not Persona.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\xff\xfeb\x00a\x00d\x00", "personas.csv", "not UTF-8"),
        (b"", "personas.csv", "The submitted file is empty"),
        (b"\n\n", "personas.csv", "The first line must name the columns"),
        (HEADER.encode(), "personas.csv", "no rows"),
        (b"name\nOlivia\n", "personas.pdf", "Upload a .csv or .xlsx file"),
        (b"name,role\nnot,a workbook\n", "personas.xlsx", "not an Excel"),
        (b"PK\x03\x04garbage", "personas.xlsx", "could not be opened"),
        (b"\x00\x01\x02binary", "personas.csv", "binary data"),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_message(
    marketer_client, workspace, content, name, message
):
    response = upload(marketer_client, workspace, SimpleUploadedFile(name, content))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_too_large_a_file_is_refused(marketer_client, workspace):
    big = HEADER + ("x" * 200 + ",,,,,3,,,\n") * 30_000
    response = upload(marketer_client, workspace, csv_file(big))
    assert response.status_code == 422 and "larger than 5 MB" in response.content.decode()


def test_an_excel_workbook_imports_too(marketer_client, workspace):
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Adoption stage", "Priority", "Present share override"])
    sheet.append(["Founder Farah", "Early adopter", 3, 70])
    buffer = io.BytesIO()
    book.save(buffer)
    file = SimpleUploadedFile("personas.xlsx", buffer.getvalue())
    preview_of(marketer_client, upload(marketer_client, workspace, file))
    commit(marketer_client, workspace)
    farah = Persona.objects.get()
    assert (farah.name, farah.adoption_stage, farah.present_share_override) == (
        "Founder Farah",
        "early_adopter",
        70,
    )


def test_formula_like_text_is_kept_as_text_and_flagged(marketer_client, workspace):
    text = HEADER + '"=HYPERLINK(""http://evil.example"",""click"")",,,,,3,,,\n'
    page = preview_of(
        marketer_client, upload(marketer_client, workspace, csv_file(text))
    ).content.decode()
    assert "looks like a spreadsheet formula: kept as plain text" in page
    commit(marketer_client, workspace)
    persona = Persona.objects.get()
    assert persona.name.startswith("=HYPERLINK")
    export = marketer_client.get(
        reverse("personas:export", args=[workspace.slug, "csv"])
    ).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in export  # neutralised on the way out


def test_export_then_import_changes_nothing(marketer_client, workspace):
    for i in range(3):
        PersonaFactory(
            workspace=workspace,
            name=f"Persona {i}",
            summary=f"Line one\nline two {i}",
            adoption_stage="laggard",
            present_share_override=90,
            company_size="51-200",
        )
    before = list(Persona.objects.order_by("pk").values())
    exported = marketer_client.get(reverse("personas:export", args=[workspace.slug, "csv"])).content
    page = preview_of(
        marketer_client,
        upload(marketer_client, workspace, SimpleUploadedFile("back.csv", exported)),
    ).content.decode()
    assert re.search(r"Unchanged</p><p class=\"stat-value\">3<", page)
    commit(marketer_client, workspace)
    assert list(Persona.objects.order_by("pk").values()) == before


def test_ten_thousand_rows_import_in_seconds(marketer_client, workspace, settings):
    """A benchmark: the import in the request against the request that hands it
    to the worker, side by side, and the worker's own time."""
    rows = "".join(
        f"Persona {i:05},Role {i},Segment {i % 40},,Early majority,{i % 5 + 1},,Summary {i},Goal {i}\n"
        for i in range(10_000)
    )
    start = time.perf_counter()
    response = upload(marketer_client, workspace, csv_file(HEADER + rows))
    page = preview_of(marketer_client, response).content.decode()
    preview_seconds = time.perf_counter() - start
    assert re.search(r"New</p><p class=\"stat-value\">10,000<", page)

    settings.IMPORT_TASK_THRESHOLD = 20_000  # this time, in the request
    start = time.perf_counter()
    assert commit(marketer_client, workspace).status_code == 303
    in_request = time.perf_counter() - start
    assert Persona.objects.filter(workspace=workspace).count() == 10_000
    assert not Job.objects.exists()

    Persona.objects.filter(workspace=workspace).delete()
    settings.IMPORT_TASK_THRESHOLD = 2_000  # the default: the worker's
    preview_of(marketer_client, upload(marketer_client, workspace, csv_file(HEADER + rows)))
    start = time.perf_counter()
    assert commit(marketer_client, workspace).status_code == 303
    handed_over = time.perf_counter() - start
    assert Persona.objects.filter(workspace=workspace).count() == 0
    start = time.perf_counter()
    assert run_queued_tasks() == 2  # the import and the e-mail saying it is done
    in_worker = time.perf_counter() - start
    assert Persona.objects.filter(workspace=workspace).count() == 10_000
    assert Job.objects.get().status == "done"
    print(
        f"10,000 personas: upload and preview {preview_seconds:.2f} s; import request "
        f"{in_request:.2f} s in the request, {handed_over:.3f} s handed to the worker "
        f"({in_request / handed_over:.0f}× shorter); the worker took {in_worker:.2f} s"
    )


def test_templates_download(marketer_client, workspace):
    csv = marketer_client.get(reverse("imports:template", args=[workspace.slug, "personas", "csv"]))
    assert csv.content.decode("utf-8-sig").startswith("name,role_title,segment")
    xlsx = marketer_client.get(reverse("imports:template", args=[workspace.slug, "usages", "xlsx"]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_reviewers_may_not_import(reviewer_client, workspace):
    response = upload(reviewer_client, workspace, csv_file(HEADER + "Rae,,,,,3,,,\n"))
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


def test_a_batch_of_another_workspace_is_404(
    marketer_client, outsider_client, workspace, other_workspace
):
    preview_of(
        marketer_client, upload(marketer_client, workspace, csv_file(HEADER + "Rae,,,,,3,,,\n"))
    )
    batch = ImportBatch.objects.get()
    assert (
        outsider_client.get(
            reverse("imports:preview", args=[other_workspace.slug, batch.pk])
        ).status_code
        == 404
    )
    assert (
        outsider_client.post(
            reverse("imports:commit", args=[other_workspace.slug, batch.pk])
        ).status_code
        == 404
    )
    assert not Persona.objects.exists()


def test_unknown_import_kind_is_404(marketer_client, workspace):
    assert (
        marketer_client.get(reverse("imports:upload", args=[workspace.slug, "secrets"])).status_code
        == 404
    )

"""Uploads built to hold a server worker are refused with a sentence, before
the file is read whole; the time each refusal takes is in ``make bench``."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pacekeeper import spreadsheets
from pacekeeper.samples import huge_workbook, long_workbook, sheet_workbook
from pacekeeper.spreadsheets import looks_like_formula
from workspaces.models import ImportBatch

KINDS = ["personas", "usages"]


def post(client, workspace, name: str, content: bytes, kind: str = "personas"):
    return client.post(
        reverse("imports:upload", args=[workspace.slug, kind]),
        {"file": SimpleUploadedFile(name, content)},
    )


def refused(response, message: str) -> None:
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_a_small_workbook_that_unzips_to_hundreds_of_megabytes_is_refused(
    marketer_client, workspace, kind
):
    content = huge_workbook()
    assert len(content) < 1024 * 1024  # under a megabyte, far under the 5 MB limit
    info = zipfile.ZipFile(io.BytesIO(content)).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > 200 * 1024 * 1024
    refused(
        post(marketer_client, workspace, "people.xlsx", content, kind),
        "The workbook unpacks to far more data than a sheet of 20,000 rows holds",
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_workbook_of_100000_rows_is_refused_for_its_rows(marketer_client, workspace, kind):
    refused(
        post(marketer_client, workspace, "people.xlsx", long_workbook(), kind),
        "The workbook has a sheet of more than 20,000 rows: split it in parts.",
    )


def test_a_workbook_just_over_the_row_cap_is_refused_and_one_at_it_is_read(
    marketer_client, workspace
):
    refused(
        post(marketer_client, workspace, "p.xlsx", sheet_workbook(["name"], ["Olivia"], 20_001)),
        "more than 20,000 rows",
    )
    header, rows = spreadsheets.read_table(
        SimpleUploadedFile("p.xlsx", sheet_workbook(["name"], ["Olivia"], 20_000))
    )
    assert header == ["name"]
    assert len(rows) == 20_000


def test_a_csv_of_100000_rows_is_refused(marketer_client, workspace):
    content = ("name\n" + "".join(f"Persona {i}\n" for i in range(100_000))).encode()
    refused(
        post(marketer_client, workspace, "people.csv", content),
        "The file has more than 20,000 rows: split it in parts.",
    )


def test_blank_lines_count_towards_a_cap_too(marketer_client, workspace):
    refused(
        post(marketer_client, workspace, "people.csv", b"name\nOlivia\n" + b",\n" * 50_000),
        "more than 40,000 lines, blank ones included",
    )


def test_too_many_columns_are_refused(marketer_client, workspace):
    header = ",".join(f"c{i}" for i in range(60))
    refused(
        post(marketer_client, workspace, "people.csv", f"{header}\n{header}\n".encode()),
        "Line 1 has more than 50 columns",
    )
    wide = sheet_workbook([f"c{i}" for i in range(60)], ["x"] * 60, 3)
    refused(
        post(marketer_client, workspace, "people.xlsx", wide), "Line 1 has more than 50 columns"
    )


def test_a_cell_too_long_is_refused(marketer_client, workspace):
    refused(
        post(marketer_client, workspace, "people.csv", b"name\n" + b"x" * 6_000 + b"\n"),
        "Line 2 has a cell of more than 5,000 characters",
    )
    refused(
        post(marketer_client, workspace, "people.csv", b'name\n"' + b"x" * 200_000 + b'"\n'),
        "The file could not be read as CSV",
    )


def test_a_sheet_of_too_many_cells_is_refused(marketer_client, workspace):
    content = sheet_workbook(["name"], ["x"] * 45, 10_000)  # 450,000 cells
    refused(
        post(marketer_client, workspace, "people.xlsx", content),
        "The sheet holds more than 400,000 cells",
    )


def test_a_workbook_of_too_many_parts_is_refused(marketer_client, workspace):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        for i in range(150):
            book.writestr(f"xl/media/image{i}.xml", "<x/>")
    refused(
        post(marketer_client, workspace, "people.xlsx", buffer.getvalue()),
        "more than 100 files inside",
    )


def test_a_packed_part_other_than_a_sheet_is_refused(marketer_client, workspace):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/sharedStrings.xml", b"<si><t>x</t></si>" * 300_000)
    refused(
        post(marketer_client, workspace, "people.xlsx", buffer.getvalue()),
        "unpacks to far more data",
    )


def test_a_zip_that_lies_about_its_sizes_is_refused(marketer_client, workspace):
    content = bytearray(sheet_workbook(["name"], ["Olivia"], 3))
    # Shrink the sheet's declared size in the central directory: the reading
    # stops at the declared size, so the sheet ends halfway.
    directory = content.rindex(b"PK\x01\x02")
    while not content[directory + 46 :].startswith(b"xl/worksheets/sheet1.xml"):
        directory = content.rindex(b"PK\x01\x02", 0, directory)
    content[directory + 24 : directory + 28] = (40).to_bytes(4, "little")
    response = post(marketer_client, workspace, "people.xlsx", bytes(content))
    assert response.status_code == 422
    assert "save it again from your spreadsheet" in response.content.decode()


@pytest.mark.parametrize(
    ("value", "flagged"),
    [
        ("=1+1", True),
        ("-2+3", True),
        ("+A1", True),
        ("@SUM(A1)", True),
        ('=HYPERLINK("http://evil.example")', True),
        ("-2", False),
        ("+3.5", False),
        ("-0,5", False),
        ("12%", False),
        ("Olivia", False),
        ("-", False),
    ],
)
def test_formula_flags_follow_the_exports_rule(value, flagged):
    assert looks_like_formula(value) is flagged
    escaped = spreadsheets.safe_cell(value) != value
    if flagged:
        assert escaped  # every flagged value is one the exports escape


@pytest.mark.parametrize(("name", "flagged"), [("=1+1", True), ("-2+3", True), ("-2", False)])
def test_the_preview_flags_formula_like_cells(marketer_client, workspace, name, flagged):
    response = post(marketer_client, workspace, "people.csv", f"name\n{name}\n".encode())
    page = marketer_client.get(response["Location"]).content.decode()
    assert ("looks like a spreadsheet formula" in page) is flagged

"""CSV and XLSX responses that are safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.text import slugify

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula (``=HYPERLINK(…)``):
    such text gets a leading apostrophe. Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([_plain(safe_cell(v)) for v in row])  # numbers stay numbers
    response = HttpResponse(
        buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename) or "export"}.csv"'
    return response


Sheet = tuple[str, Sequence[str], Callable[[], Iterable[Sequence[Any]]]]


def table_response(fmt: str, filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    """An export as ``fmt`` ("csv" or "xlsx"). Each sheet is (title, header,
    a function giving its rows): a CSV file holds the first sheet only, so the
    others' rows are computed only for a workbook."""
    if fmt == "csv":
        _, header, rows = sheets[0]
        return csv_response(filename, header, rows())
    return xlsx_response(filename, [(title, header, rows()) for title, header, rows in sheets])


def xlsx_response(
    filename: str, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]
) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title=title[:31])
        sheet.append([safe_cell(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_cell(_number(v)) for v in row])
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 60)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename) or "export"}.xlsx"'
    return response


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value.quantize(Decimal("0.01")))
    return value


# --- Reading uploads ------------------------------------------------------------

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
XLSX_MAGIC = b"PK\x03\x04"


class UploadRefused(Exception):
    """The file as a whole cannot be read; the message says why, in plain words."""


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "date") and hasattr(value, "hour"):  # a datetime from a spreadsheet
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def read_table(upload) -> tuple[list[str], list[dict[str, str]]]:
    """The header (lower-cased) and the rows of an uploaded CSV or XLSX file.

    Refuses, with a sentence a person can act on: other file types, files over
    5 MB or 20,000 rows, text that is not UTF-8, and files without rows.
    """
    name = (getattr(upload, "name", "") or "").lower()
    if upload.size > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB: split it in parts."
        )
    raw = upload.read()
    if name.endswith(".xlsx"):
        if not raw.startswith(XLSX_MAGIC):
            raise UploadRefused("This is not an Excel (.xlsx) workbook, whatever its name says.")
        header, rows = _read_xlsx(raw)
    elif name.endswith(".csv"):
        header, rows = _read_csv(raw)
    else:
        raise UploadRefused("Upload a .csv or .xlsx file.")
    if not header or not any(header):
        raise UploadRefused(
            "The first line must name the columns (download the template to see them)."
        )
    if not rows:
        raise UploadRefused("The file has a header but no rows.")
    return header, rows


def _read_csv(raw: bytes) -> tuple[list[str], list[dict[str, str]]]:
    if raw.startswith(XLSX_MAGIC):
        raise UploadRefused(
            "This looks like an Excel workbook: name it .xlsx, or save it as CSV UTF-8."
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadRefused(
            "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8” and upload it again."
        ) from None
    if "\x00" in text:
        raise UploadRefused(
            "The file holds binary data, not text: upload a CSV or an .xlsx workbook."
        )
    reader = csv.reader(io.StringIO(text))
    lines = list(reader)
    return _rows_from(lines)


def _read_xlsx(raw: bytes) -> tuple[list[str], list[dict[str, str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise UploadRefused(
            "The workbook could not be opened: save it again from your spreadsheet."
        ) from None
    try:
        sheet = book.worksheets[0]
        lines = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    return _rows_from(lines)


def _rows_from(lines: list[list]) -> tuple[list[str], list[dict[str, str]]]:
    lines = [[_cell_text(v) for v in line] for line in lines]
    while lines and not any(lines[0]):
        lines.pop(0)
    if not lines:
        return [], []
    # "Adoption stage", "adoption-stage" and "adoption_stage" all name one column.
    header = ["_".join(h.strip().lower().replace("-", " ").split()) for h in lines[0]]
    rows = []
    for line in lines[1:]:
        if not any(cell for cell in line):
            continue  # blank lines are not rows
        rows.append(
            {header[i]: (line[i] if i < len(line) else "") for i in range(len(header)) if header[i]}
        )
        if len(rows) > MAX_ROWS:
            raise UploadRefused(f"The file has more than {MAX_ROWS:,} rows: split it in parts.")
    return header, rows


def looks_like_formula(value: str) -> bool:
    """Text a spreadsheet would run as a formula if it were exported as is."""
    return (
        isinstance(value, str)
        and value.startswith(("=", "+", "@"))
        and len(value) > 1
        and not value[1:2].isdigit()
    )

"""CSV and XLSX responses that are safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import re
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
#
# An upload is refused, with a sentence, before it can hold a server worker:
# the file's size first; for a workbook, the size of every part once unzipped
# (as the zip declares it: reading stops there even if the zip lies), the number
# of parts and how tightly they are packed; then a quick pass over the sheets
# counting the rows and cells, stopping at the caps; only then is the first
# sheet read, streamed, row by row, and never past the caps. A CSV file is
# read line by line and never past the caps either.

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 50
MAX_CELL_CHARS = 5_000
MAX_LINES = MAX_ROWS * 2  # blank lines included
MAX_CELLS = MAX_ROWS * 20  # values in one sheet: 20 filled columns on every row
MAX_CELL_TAGS = MAX_CELLS * 2  # cells in one sheet, empty formatted ones included
MAX_PARTS = 100  # files inside a workbook; a spreadsheet program writes about ten
MAX_PART_BYTES = 40 * 1024 * 1024  # one part, unzipped
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # all parts, unzipped
MAX_RATIO = 100  # unzipped ÷ zipped, for parts over a megabyte
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
    5 MB, 20,000 rows or 50 columns, cells over 5,000 characters, workbooks that
    unpack to far more than their size, text that is not UTF-8, and files
    without rows.
    """
    name = (getattr(upload, "name", "") or "").lower()
    if upload.size > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB: split it in parts."
        )
    upload.seek(0)
    magic = upload.read(len(XLSX_MAGIC))
    upload.seek(0)
    if name.endswith(".xlsx"):
        if magic != XLSX_MAGIC:
            raise UploadRefused("This is not an Excel (.xlsx) workbook, whatever its name says.")
        header, rows = _read_xlsx(upload)
    elif name.endswith(".csv"):
        if magic == XLSX_MAGIC:
            raise UploadRefused(
                "This looks like an Excel workbook: name it .xlsx, or save it as CSV UTF-8."
            )
        header, rows = _read_csv(upload)
    else:
        raise UploadRefused("Upload a .csv or .xlsx file.")
    if not header or not any(header):
        raise UploadRefused(
            "The first line must name the columns (download the template to see them)."
        )
    if not rows:
        raise UploadRefused("The file has a header but no rows.")
    return header, rows


def _too_many_rows() -> UploadRefused:
    return UploadRefused(f"The file has more than {MAX_ROWS:,} rows: split it in parts.")


def _read_csv(upload) -> tuple[list[str], list[dict[str, str]]]:
    text = io.TextIOWrapper(upload, encoding="utf-8-sig", newline="")
    try:
        return _rows_from(csv.reader(text))
    except UnicodeDecodeError:
        raise UploadRefused(
            "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8” and upload it again."
        ) from None
    except csv.Error:
        raise UploadRefused(
            f"The file could not be read as CSV: a cell may be over {MAX_CELL_CHARS:,} "
            "characters, or a quote left open. Save it again as “CSV UTF-8”."
        ) from None
    finally:
        text.detach()  # leave the upload open for whoever owns it


def _read_xlsx(upload) -> tuple[list[str], list[dict[str, str]]]:
    from openpyxl import load_workbook

    _check_parts(upload)
    upload.seek(0)
    try:
        book = load_workbook(upload, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise UploadRefused(
            "The workbook could not be opened: save it again from your spreadsheet."
        ) from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # the size the sheet claims is not trusted
        # At most MAX_COLUMNS + 1 columns are ever built per row: one more shows
        # there are too many.
        lines = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
        return _rows_from(lines)
    except UploadRefused:
        raise
    except Exception:  # a damaged sheet, or a part that is not what the zip says
        raise UploadRefused(
            "The workbook could not be read: save it again from your spreadsheet."
        ) from None
    finally:
        book.close()


def _check_parts(upload) -> None:
    """Refuse a workbook whose parts unzip to far more than a sheet of
    20,000 rows needs, before anything is unzipped; then count the rows and
    cells of its large parts (sheets) as they unzip, before openpyxl, which
    reads a sheet whole to learn its size, sees them."""
    import zipfile

    try:
        archive = zipfile.ZipFile(upload)
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UploadRefused(
            "The workbook could not be opened: save it again from your spreadsheet."
        ) from None
    _check_sizes(parts)
    for part in parts:
        if part.file_size > _CHUNK:
            try:
                with archive.open(part) as source:
                    _count_cells(source)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
                raise UploadRefused(
                    "The workbook could not be opened: save it again from your spreadsheet."
                ) from None


def _check_sizes(parts) -> None:
    if len(parts) > MAX_PARTS:
        raise UploadRefused(
            f"The workbook holds more than {MAX_PARTS} files inside: this is not an export "
            "of a spreadsheet. Save it again from your spreadsheet."
        )
    unzipped = 0
    for part in parts:
        unzipped += part.file_size
        # Sheets are counted as they unzip (_count_cells); every other part is
        # read whole, so it must not be packed tighter than text ever is.
        packed_tightly = (
            not part.filename.startswith("xl/worksheets/")
            and part.file_size > 1024 * 1024
            and part.file_size > MAX_RATIO * max(1, part.compress_size)
        )
        if part.file_size > MAX_PART_BYTES or unzipped > MAX_UNZIPPED_BYTES or packed_tightly:
            raise UploadRefused(
                "The workbook unpacks to far more data than a sheet of "
                f"{MAX_ROWS:,} rows holds: split it in parts, or save it as CSV."
            )


_ROW_END = re.compile(rb"</(?:\w+:)?row>")
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is)[\s>]")
_CHUNK = 1024 * 1024


def _count_cells(source) -> None:
    """A quick pass over the sheet's XML as it unzips: refuse it as soon as it
    holds more than MAX_ROWS rows with a value after the header, MAX_CELLS
    cells with a value, or MAX_CELL_TAGS cells at all (empty, formatted ones
    included), without building a single cell."""
    rows = cells = tags = 0
    pending = b""
    while chunk := source.read(_CHUNK):
        pending += chunk
        start = 0
        for end in _ROW_END.finditer(pending):
            row_cells = len(_VALUE.findall(pending, start, end.start()))
            start = end.end()
            if row_cells:
                rows += 1
                cells += row_cells
        tags += len(_CELL.findall(pending, 0, start))
        pending = pending[start:]
        if rows > MAX_ROWS + 1:
            raise UploadRefused(
                f"The workbook has a sheet of more than {MAX_ROWS:,} rows: split it in parts."
            )
        if cells > MAX_CELLS or tags > MAX_CELL_TAGS:
            raise UploadRefused(
                f"The sheet holds more than {MAX_CELLS:,} cells: split it in parts."
            )


def _rows_from(lines: Iterable[Sequence[Any]]) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of ``lines``, read no further than the caps."""
    header: list[str] = []
    rows: list[dict[str, str]] = []
    for number, raw in enumerate(lines, start=1):
        if number > MAX_LINES:
            raise UploadRefused(
                f"The file has more than {MAX_LINES:,} lines, blank ones included: "
                "split it in parts."
            )
        line = [_cell_text(v) for v in raw] if any(raw) else []
        while line and not line[-1]:
            line.pop()  # a workbook pads its rows with empty cells
        _check_line(number, line)
        if not any(line):
            continue  # blank lines are not rows
        if not header:
            # "Adoption stage", "adoption-stage" and "adoption_stage" all name one column.
            header = ["_".join(h.lower().replace("-", " ").split()) for h in line]
            continue
        if len(rows) == MAX_ROWS:
            raise _too_many_rows()
        rows.append(
            {header[i]: (line[i] if i < len(line) else "") for i in range(len(header)) if header[i]}
        )
    return header, rows


def _check_line(number: int, line: list[str]) -> None:
    if len(line) > MAX_COLUMNS and any(line[MAX_COLUMNS:]):
        raise UploadRefused(
            f"Line {number} has more than {MAX_COLUMNS} columns: keep the template's columns only."
        )
    for cell in line:
        if len(cell) > MAX_CELL_CHARS:
            raise UploadRefused(
                f"Line {number} has a cell of more than {MAX_CELL_CHARS:,} characters: "
                "no column takes that much text."
            )
        if "\x00" in cell:
            raise UploadRefused(
                "The file holds binary data, not text: upload a CSV or an .xlsx workbook."
            )


def looks_like_formula(value: str) -> bool:
    """Text a spreadsheet would run as a formula: what the exports escape
    (``safe_cell``), except a plain number such as ``-2`` or ``+3.5``."""
    if not isinstance(value, str) or len(value) < 2 or not value.startswith(FORMULA_START):
        return False
    return not _PLAIN_NUMBER.match(value)


_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?%?$")

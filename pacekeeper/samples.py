"""Workbooks written straight as XML into a zip, for the tests and the benchmark:
sheets far larger than a spreadsheet program would let anyone save, built in
milliseconds without openpyxl."""

from __future__ import annotations

import io
import zipfile

_NS = "http://schemas.openxmlformats.org/"
_PARTS = {
    "[Content_Types].xml": (
        f'<Types xmlns="{_NS}package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{_NS}package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_NS}officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{_NS}spreadsheetml/2006/main" xmlns:r="{_NS}officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_NS}package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_NS}officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
}


def _row(values: list[str]) -> bytes:
    cells = "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in values)
    return f"<row>{cells}</row>".encode()


def sheet_workbook(header: list[str], row: list[str], count: int) -> bytes:
    """An .xlsx file whose sheet holds ``header`` then ``row`` ``count`` times."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as book:
        for name, xml in _PARTS.items():
            book.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + xml)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}spreadsheetml/2006/main"><sheetData>'.encode()
            )
            sheet.write(_row(header))
            line, done = _row(row), 0
            while done < count:
                batch = min(10_000, count - done)
                sheet.write(line * batch)
                done += batch
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


PERSONA_ROW = ["Olivia", "COO", "Freight firms"]


def huge_workbook() -> bytes:
    """1,500,000 persona rows: some 220 MB of sheet in well under a megabyte."""
    return sheet_workbook(["name", "role_title", "segment"], PERSONA_ROW, 1_500_000)


def long_workbook() -> bytes:
    """100,000 rows of one short cell: a small sheet, five times too long."""
    return sheet_workbook(["name"], ["Olivia"], 100_000)

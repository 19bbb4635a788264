"""Reading files: encodings, delimiters, quoted newlines and their line numbers, blank rows."""

from __future__ import annotations

import io

import pytest

from leadhub.domains.imports.reader import Row, UnreadableFile, detect_format, open_table
from tests.imports.helpers import xlsx

TEXT = "First Name;Email;City\nZoë;zoe@example.com;Zürich\nJosé;jose@example.com;São Paulo\n"


def read(content: bytes, fmt: str = "csv") -> tuple[list[str], list[Row], int | None]:
    with open_table(io.BytesIO(content), fmt, count=True) as table:
        return table.headers, list(table.rows), table.total


@pytest.mark.parametrize(
    "encoded",
    [
        TEXT.encode("utf-8"),
        TEXT.encode("utf-8-sig"),
        TEXT.encode("utf-16"),
        TEXT.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "cp1252"],
)
def test_every_supported_encoding_reads_the_same_text(encoded: bytes) -> None:
    headers, rows, total = read(encoded)
    assert headers == ["First Name", "Email", "City"]
    assert [row.cells for row in rows] == [
        ["Zoë", "zoe@example.com", "Zürich"],
        ["José", "jose@example.com", "São Paulo"],
    ]
    assert total == 2


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_sniffed(delimiter: str) -> None:
    text = delimiter.join(["name", "email", "phone"]) + "\n"
    text += delimiter.join(["Ann Lee", "ann@example.com", "+1 415 555 0100"]) + "\n"
    headers, rows, _ = read(text.encode())
    assert headers == ["name", "email", "phone"]
    assert rows[0].cells == ["Ann Lee", "ann@example.com", "+1 415 555 0100"]


def test_a_single_column_falls_back_to_comma() -> None:
    headers, rows, _ = read(b"email\nann@example.com\n")
    assert headers == ["email"]
    assert rows[0].cells == ["ann@example.com"]


def test_a_row_starts_on_the_line_of_its_record_after_quoted_newlines() -> None:
    text = (
        "name,notes,email\r\n"
        'Ann,"line one\r\nline two\r\nline three",ann@example.com\r\n'
        "Bob,short,bob@example.com\r\n"
        "\r\n"
        'Cy,"a ""quoted"" word",cy@example.com\r\n'
    )
    _, rows, total = read(text.encode())
    assert [row.line for row in rows] == [2, 5, 7]
    assert rows[0].cells[1] == "line one\r\nline two\r\nline three"
    assert rows[2].cells[1] == 'a "quoted" word'
    assert total == 3


def test_blank_rows_are_skipped_and_short_rows_padded() -> None:
    _, rows, _ = read(b"\nname,email,city\n,,\nAnn,ann@example.com\n   ,  ,\n")
    assert [(row.line, row.cells) for row in rows] == [(4, ["Ann", "ann@example.com", ""])]


def test_a_row_with_more_cells_than_headers_is_a_problem_for_that_row() -> None:
    _, rows, _ = read(b"name,email\nAnn,ann@example.com,extra\nBob,bob@example.com,,\n")
    assert rows[0].problem == "The row has 3 cells but the header has 2 columns."
    assert rows[1].problem is None  # empty trailing cells are no data


def test_repeated_and_blank_headers_are_named_apart() -> None:
    headers, _, _ = read(b"Email,,email\na@example.com,x,b@example.com\n")
    assert headers == ["Email", "Column 2", "email (2)"]


def test_xlsx_rows_keep_their_sheet_row_numbers_and_plain_numbers() -> None:
    content = xlsx(
        [["Name", "Phone", "Value"], ["Ann", 4155550100, 12.5], [None, None, None], ["Bob", 1, 3.0]]
    )
    headers, rows, total = read(content, "xlsx")
    assert headers == ["Name", "Phone", "Value"]
    assert [(row.line, row.cells) for row in rows] == [
        (2, ["Ann", "4155550100", "12.5"]),
        (4, ["Bob", "1", "3"]),
    ]
    assert total == 3  # as the sheet declares it, blank row included


def test_formats_are_told_apart_by_content_and_name() -> None:
    assert detect_format("leads.csv", b"name,email") == "csv"
    assert detect_format("export", b"PK\x03\x04rest") == "xlsx"
    with pytest.raises(UnreadableFile, match="xls"):
        detect_format("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1")
    with pytest.raises(UnreadableFile):
        detect_format("image.png", b"\x89PNG\r\n\x1a\n\x00\x00")


def test_a_file_without_a_header_row_cannot_be_read() -> None:
    with pytest.raises(UnreadableFile, match="no header row"):
        read(b"\n\n  \n")
    with pytest.raises(UnreadableFile, match="XLSX"):
        read(b"PK\x03\x04 not really a zip", "xlsx")

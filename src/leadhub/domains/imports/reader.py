"""Reading CSV and XLSX files as a header and a stream of rows, never the whole file at once.

CSV: the encoding is UTF-8 (with or without a BOM) or UTF-16 with a BOM, else cp1252; the
delimiter is sniffed among `,` `;` tab `|` (comma when unsure). Each row carries the physical line
where its record starts (a quoted field may span lines), so errors point at the right line.
XLSX: the first sheet, read with openpyxl in read-only mode; a row's line is its row number.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any

FORMATS = ("csv", "xlsx")
SAMPLE_BYTES = 64 * 1024
# csv.Sniffer is slow on large samples; a few hundred lines tell the delimiter.
SNIFF_BYTES = 16 * 1024
_DELIMITERS = ",;\t|"
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# csv refuses fields over 128 KB by default; a notes column may be longer, a lead never much.
csv.field_size_limit(10 * 1024 * 1024)


class UnreadableFile(Exception):
    """The file is not a CSV or XLSX file that can be read (or it has no header row)."""


@dataclass(frozen=True)
class Row:
    line: int
    cells: list[str]
    # Why the row cannot be used at all (too many cells), or None.
    problem: str | None = None


@dataclass
class Table:
    """An open file: its headers and an iterator over its non-blank data rows."""

    format: str
    headers: list[str]
    rows: Iterator[Row]
    # How many data rows there are, when that is known before reading them.
    total: int | None = None
    encoding: str | None = None
    delimiter: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def detect_format(filename: str, head: bytes) -> str:
    """csv or xlsx, from the first bytes and the file name; UnreadableFile otherwise."""
    name = filename.lower()
    if head.startswith(b"PK\x03\x04"):
        if name.endswith((".xlsx", ".xlsm")) or not name.endswith((".csv", ".txt", ".tsv")):
            return "xlsx"
        raise UnreadableFile("The file is a ZIP archive, not a CSV file.")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(
            "Old Excel (.xls) files are not supported: save the file as XLSX or CSV."
        )
    if name.endswith((".xlsx", ".xlsm")):
        raise UnreadableFile("The file is not a valid XLSX workbook.")
    if b"\x00" in head and not head.startswith(tuple(bom for bom, _ in _BOMS[1:])):
        raise UnreadableFile("The file is not a CSV or XLSX file.")
    return "csv"


@contextmanager
def open_table(binary: IO[bytes], fmt: str, *, count: bool = False) -> Iterator[Table]:
    """The table in a seekable binary file; `count` reads a CSV once first to know its rows."""
    binary.seek(0)
    if fmt == "xlsx":
        with _open_xlsx(binary) as table:
            yield table
        return
    encoding = detect_encoding(binary, full=count)
    delimiter = _sniff_delimiter(binary, encoding)
    total = _count_rows(binary, encoding, delimiter) if count else None
    binary.seek(0)
    text = io.TextIOWrapper(binary, encoding=encoding, errors=_errors(encoding), newline="")
    try:
        headers, rows = _csv_rows(text, delimiter)
        yield Table("csv", headers, rows, total=total, encoding=encoding, delimiter=delimiter)
    finally:
        text.detach()


def detect_encoding(binary: IO[bytes], *, full: bool) -> str:
    """The file's encoding: a BOM decides; else UTF-8 when the bytes (all, or a sample) decode."""
    binary.seek(0)
    head = binary.read(4)
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    binary.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := binary.read(SAMPLE_BYTES):
            decoder.decode(chunk)
            if not full:
                return "utf-8"
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _errors(encoding: str) -> str:
    # cp1252 leaves five bytes undefined; they become U+FFFD rather than failing the import.
    return "replace" if encoding == "cp1252" else "strict"


def _sniff_delimiter(binary: IO[bytes], encoding: str) -> str:
    binary.seek(0)
    raw = binary.read(SNIFF_BYTES)
    sample = raw.decode(encoding, errors="ignore")
    if len(raw) == SNIFF_BYTES and "\n" in sample:  # whole lines only
        sample = sample[: sample.rindex("\n")]
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        return ","


def _count_rows(binary: IO[bytes], encoding: str, delimiter: str) -> int:
    binary.seek(0)
    text = io.TextIOWrapper(binary, encoding=encoding, errors=_errors(encoding), newline="")
    try:
        records = csv.reader(text, delimiter=delimiter)
        found = sum(1 for record in records if _filled(record))
    except (csv.Error, UnicodeDecodeError) as exc:
        raise UnreadableFile(f"The CSV file cannot be read: {exc}.") from exc
    finally:
        text.detach()
    return max(0, found - 1)  # the header is not a row


def _filled(cells: list[str] | tuple[Any, ...]) -> bool:
    return any(cell not in (None, "") and str(cell).strip() for cell in cells)


def _csv_rows(text: IO[str], delimiter: str) -> tuple[list[str], Iterator[Row]]:
    records = csv.reader(text, delimiter=delimiter)
    lines = _LineTracker(records)
    try:
        for _line, record in lines:
            if _filled(record):
                return unique_headers(record), _rows(lines, len(record))
    except (csv.Error, UnicodeDecodeError) as exc:
        raise UnreadableFile(f"The CSV file cannot be read: {exc}.") from exc
    raise UnreadableFile("The file has no header row.")


class _LineTracker:
    """(line where the record starts, record) for each record of a csv.reader."""

    def __init__(self, records: Any) -> None:
        self.records = records
        self.consumed = 0

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        for record in self.records:
            start = self.consumed + 1
            self.consumed = self.records.line_num
            yield start, record


def _rows(lines: Any, width: int) -> Iterator[Row]:
    try:
        for line, record in lines:
            if _filled(record):
                yield shaped(line, record, width)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise UnreadableFile(
            f"The CSV file cannot be read after line {lines.consumed}: {exc}."
        ) from exc


def shaped(line: int, cells: list[str], width: int) -> Row:
    """The row cut or padded to the header's width; extra cells that hold data are a problem."""
    if len(cells) > width:
        extra = cells[width:]
        if _filled(extra):
            problem = f"The row has {len(cells)} cells but the header has {width} columns."
            return Row(line, cells[:width], problem)
        cells = cells[:width]
    return Row(line, cells + [""] * (width - len(cells)))


def unique_headers(cells: list[Any]) -> list[str]:
    """Trimmed header names; blank ones are named by position, repeated ones get a number."""
    headers: list[str] = []
    seen: set[str] = set()
    for position, cell in enumerate(cells, start=1):
        name = cell_text(cell).strip() or f"Column {position}"
        candidate, number = name, 2
        while candidate.lower() in seen:
            candidate, number = f"{name} ({number})", number + 1
        seen.add(candidate.lower())
        headers.append(candidate)
    while headers and headers[-1].startswith("Column ") and not cell_text(cells[len(headers) - 1]):
        headers.pop()  # trailing empty header cells (spreadsheets pad rows)
    return headers


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a person sees: 42 not 42.0, dates in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal | float | int):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


@contextmanager
def _open_xlsx(binary: IO[bytes]) -> Iterator[Table]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(binary, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFile("The file is not a valid XLSX workbook.") from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise UnreadableFile("The workbook has no sheet.")
        records = enumerate(sheet.iter_rows(values_only=True), start=1)
        for line, record in records:
            if _filled(record):
                headers = unique_headers(list(record))
                rows = _xlsx_rows(records, len(headers))
                total = _xlsx_total(sheet, line)
                yield Table("xlsx", headers, rows, total=total)
                return
        raise UnreadableFile("The file has no header row.")
    finally:
        workbook.close()


def _xlsx_rows(records: Iterator[tuple[int, tuple[Any, ...]]], width: int) -> Iterator[Row]:
    for line, record in records:
        if _filled(record):
            yield shaped(line, [cell_text(cell) for cell in record], width)


def _xlsx_total(sheet: Any, header_line: int) -> int | None:
    """The rows below the header as the sheet declares them (blank rows included)."""
    declared = sheet.max_row
    return max(0, declared - header_line) if isinstance(declared, int) else None

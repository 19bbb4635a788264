"""Writing rows of leads to a CSV or XLSX file, one row at a time (nothing is held whole).

CSV goes through the `csv` module (UTF-8 with a byte-order mark, so spreadsheet programs read
accents right); XLSX through openpyxl's write-only workbook, which spools rows to disk.
A text that a spreadsheet would run as a formula (`=…`, `@…`, `+…` that is not a number) is
written so it stays text: lead data comes from public forms.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from leadhub.kit import attribution

# The file's columns, in order; `title` is the lead's job title, `tags` its tag names.
COLUMNS: tuple[str, ...] = (
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "title",
    "city",
    "state",
    "region",
    "country",
    "source",
    "status",
    "tags",
    "lead_score",
    "value",
    "created_at",
    *attribution.FIELDS,
)
TAG_SEPARATOR = ", "
_FORMULA_START = ("=", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"^[+-][\d\s().,-]*$")
_RISKY_FIRST = "=@\t\r+-"


class RowWriter(Protocol):
    def write(self, values: Sequence[Any]) -> None:
        """One lead's values, in COLUMNS order."""
        ...


@contextmanager
def open_writer(extension: str, path: Path) -> Iterator[RowWriter]:
    """A writer of the header and then of rows into `path`; the file is complete on exit."""
    if extension == "xlsx":
        with _xlsx(path) as writer:
            yield writer
    else:
        with _csv(path) as writer:
            yield writer


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would take this text for a formula."""
    if text.startswith(_FORMULA_START):
        return True
    return text.startswith(("+", "-")) and not _SIGNED_NUMBER.match(text)


class _CsvWriter:
    def __init__(self, handle: Any) -> None:
        self._csv = csv.writer(handle)
        self._csv.writerow(COLUMNS)

    def write(self, values: Sequence[Any]) -> None:
        self._csv.writerow([_csv_value(value) for value in values])


@contextmanager
def _csv(path: Path) -> Iterator[_CsvWriter]:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        yield _CsvWriter(handle)


def _csv_value(value: Any) -> Any:
    if value.__class__ is str:  # the common case first: this runs for every cell
        return f"'{value}" if value[:1] in _RISKY_FIRST and is_formula_like(value) else value
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="seconds")
    if isinstance(value, list):
        return _csv_value(TAG_SEPARATOR.join(value))
    return value  # numbers: the csv module writes them as they are


class _XlsxWriter:
    def __init__(self, workbook: Workbook) -> None:
        self._sheet = workbook.create_sheet("Leads")
        self._sheet.append(list(COLUMNS))

    def write(self, values: Sequence[Any]) -> None:
        self._sheet.append([self._cell(value) for value in values])

    def _cell(self, value: Any) -> Any:
        if isinstance(value, datetime):  # spreadsheets have no time zones: UTC, as the header
            return value.astimezone(UTC).replace(tzinfo=None)
        if isinstance(value, list):
            value = TAG_SEPARATOR.join(value)
        if isinstance(value, Decimal):
            return float(value)
        if not isinstance(value, str):
            return value
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        if not text.startswith("="):
            return text
        cell = WriteOnlyCell(self._sheet, value=text)
        cell.data_type = "s"  # a text cell, never a formula
        return cell


@contextmanager
def _xlsx(path: Path) -> Iterator[_XlsxWriter]:
    workbook = Workbook(write_only=True)
    yield _XlsxWriter(workbook)
    workbook.save(path)

"""Writing leads to a CSV or XLSX file, a chunk of rows at a time (nothing is held whole).

CSV is written as the `csv` module's default dialect writes it (UTF-8 with a byte-order mark,
so spreadsheet programs read accents right); XLSX through openpyxl's write-only workbook, which
spools rows to disk.
A text that a spreadsheet would run as a formula (`=…`, `@…`, `+…` that is not a number) is
written so it stays text: lead data comes from public forms.

A chunk comes as its columns, and each column is looked at whole first: an export writes
millions of cells, and nearly every column of nearly every chunk needs no change at all, which
one search through the column's joined text shows without a step per cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from operator import attrgetter, methodcaller
from pathlib import Path
from typing import Any, BinaryIO, Protocol

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
_BOM = "\ufeff".encode()
# The csv module's default dialect, written here a chunk at a time: by columns and joins, it
# takes half the time of the module's writer, which looks at every character of every row.
_DELIMITER = ","
_LINE_END = "\r\n"
_NEEDS_QUOTES = re.compile(r'[",\r\n]')
_EMPTY: dict[Any, str] = {None: ""}
# Cells are joined, each after a separator, to be searched at once; a cell that holds the
# separator itself is told by the count of separators (CSV), or can only make the search find
# more than there is, which costs the exact look at each cell, never a miss (XLSX).
_CSV_JOIN = "\x00"
_XLSX_JOIN = "\n"
# A cell that is_formula_like, as a search of joined cells: a literal first, so it is fast.
_CSV_FORMULA = re.compile(r"\x00(?:[=@\t\r]|[+-](?![\d\s().,-]*(?:\x00|\Z)))")
# Numbers and None: the CSV has their str() (the csv module's text for them), the XLSX has them
# as they are, a Decimal aside.
_AS_THEY_ARE = frozenset({int, bool, float, Decimal, type(None)})
_AS_THEY_ARE_IN_XLSX = _AS_THEY_ARE - {Decimal}
_MOMENTS = frozenset({datetime, type(None)})
_ZONE = attrgetter("tzinfo")
_TO_THE_SECOND = methodcaller("isoformat", "T", "seconds")
Column = Sequence[Any]


class ChunkWriter(Protocol):
    def write(self, columns: Sequence[Column]) -> None:
        """A chunk of leads as its columns, in COLUMNS order, of equal lengths; tags joined.

        Datetimes are UTC; a naive one is taken as UTC, as the database keeps them.
        """
        ...


@contextmanager
def open_writer(extension: str, path: Path) -> Iterator[ChunkWriter]:
    """A writer of the header and then of chunks into `path`; the file is complete on exit."""
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


def utc_text(moment: datetime) -> str:
    """`2024-05-01T09:30:00+00:00`: to the second, in UTC."""
    if moment.tzinfo is None:
        return f"{moment.isoformat(timespec='seconds')}+00:00"
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def utc_naive(moment: datetime) -> datetime:
    """The moment in UTC without its zone: spreadsheets have none (UTC, as the header)."""
    return moment if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)


def _joined(column: Column, separator: str) -> tuple[str, int] | None:
    """The column's non-empty cells, each after the separator, and how many there are; None
    when a cell is neither a text nor None."""
    cells = ["", *filter(None, column)]
    try:
        return separator.join(cells), len(cells) - 1
    except TypeError:
        return None


def _xlsx_risk(text: str) -> bool:
    """Whether a cell of these joined cells may start with `=` or hold a character XML refuses."""
    formula = f"{_XLSX_JOIN}=" in text
    return formula or ILLEGAL_CHARACTERS_RE.search(text) is not None


class _CsvWriter:
    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        handle.write(_BOM)
        self.write([[name] for name in COLUMNS])

    def write(self, columns: Sequence[Column]) -> None:
        if not columns or not columns[0]:
            return
        try:
            lines = _csv_lines([_csv_fields(column) for column in columns])
        except TypeError:  # a cell its column's look left as it was: a 0 among texts
            lines = _csv_lines([[_csv_field(value) for value in column] for column in columns])
        self._handle.write(f"{lines}{_LINE_END}".encode())


def _csv_lines(fields: Sequence[Sequence[str]]) -> str:
    return _LINE_END.join(map(_DELIMITER.join, zip(*fields, strict=True)))


@contextmanager
def _csv(path: Path) -> Iterator[_CsvWriter]:
    with path.open("wb") as handle:
        yield _CsvWriter(handle)


def _csv_fields(column: Column) -> Sequence[str]:
    """The column's cells as the csv module writes them, formulas kept as text."""
    joined = _joined(column, _CSV_JOIN)
    if joined is None:
        return _csv_fields_of_values(column)
    text, count = joined
    cells: Sequence[Any] = column
    if text.count(_CSV_JOIN) != count or _CSV_FORMULA.search(text):
        cells = [
            f"'{value}" if value and value[0] in _RISKY_FIRST and is_formula_like(value) else value
            for value in cells
        ]
    if count < len(cells):
        cells = list(map(_EMPTY.get, cells, cells))
    if _NEEDS_QUOTES.search(text):  # the guard's quote mark is no reason to quote
        # Once per distinct text: a column that needs quotes (the tags) repeats its texts.
        quoted = {value: _quoted(value) for value in set(cells)}
        cells = list(map(quoted.__getitem__, cells))
    return cells


def _csv_fields_of_values(column: Column) -> Sequence[str]:
    kinds = set(map(type, column))
    if kinds <= _AS_THEY_ARE:
        return list(map(_EMPTY.get, column, map(str, column)))
    if kinds == {datetime} and set(map(_ZONE, column)) == {None}:
        # Naive, so UTC as the database keeps them: formatted without a step per cell.
        return [f"{text}+00:00" for text in map(_TO_THE_SECOND, column)]
    return [_csv_field(value) for value in column]


def _csv_field(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return utc_text(value)
    if isinstance(value, str):
        guarded = value[:1] in _RISKY_FIRST and is_formula_like(value)
        return _quoted(f"'{value}" if guarded else value)
    return _quoted(str(value))


def _quoted(text: str) -> str:
    """The text as a CSV field: in quotes, its own doubled, when it holds a delimiter, a quote
    or a line break (the csv module's minimal quoting)."""
    if _NEEDS_QUOTES.search(text) is None:
        return text
    return '"' + text.replace('"', '""') + '"'


class _XlsxWriter:
    def __init__(self, workbook: Workbook) -> None:
        self._sheet = workbook.create_sheet("Leads")
        self._sheet.append(list(COLUMNS))

    def write(self, columns: Sequence[Column]) -> None:
        append = self._sheet.append
        for row in zip(*map(self._column, columns), strict=True):
            append(row)

    def _column(self, column: Column) -> Column:
        joined = _joined(column, _XLSX_JOIN)
        if joined is not None and not _xlsx_risk(joined[0]):
            return column
        kinds = set(map(type, column))
        if kinds <= _AS_THEY_ARE_IN_XLSX:
            return column
        if kinds <= _MOMENTS:
            return [None if value is None else utc_naive(value) for value in column]
        return [self._cell(value) for value in column]

    def _cell(self, value: Any) -> Any:
        if isinstance(value, datetime):
            return utc_naive(value)
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

"""The writers take a chunk by columns and look at each column whole: the CSV is what the `csv`
module writes for the same cells looked at one by one (formulas kept as text, dates in UTC to the
second, minimal quoting), and the XLSX keeps formulas as text too."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from leadhub.domains.exports.writer import COLUMNS, is_formula_like, open_writer

# Texts near the edges: formula starts, signed numbers, what needs quoting, and the characters
# the writers join cells with, inside a cell.
_PIECES = st.sampled_from(
    ["=", "@", "+", "-", "\t", "\r", "\n", "\x00", "1", "(", ")", " ", ".", ",", "a", "é", '"']
)
_TEXTS = st.one_of(st.none(), st.text(), st.lists(_PIECES, max_size=8).map("".join))
_MOMENTS = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1))
_ZONES = st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))])
_VALUES = st.one_of(
    _TEXTS,
    st.integers(),
    st.floats(allow_nan=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.booleans(),
    _MOMENTS,
    st.builds(lambda moment, zone: moment.replace(tzinfo=zone), _MOMENTS, _ZONES),
)
# A column of one kind (as the database gives them), or of anything at all.
_COLUMN_KINDS = st.sampled_from(
    [
        _TEXTS,
        st.one_of(st.none(), st.integers()),
        st.one_of(st.none(), st.decimals(allow_nan=False, allow_infinity=False, places=2)),
        _MOMENTS,
        _VALUES,
    ]
)


def _as_the_csv_module_was_given(value: Any) -> Any:
    """The cell as it went to the csv module, one at a time, before columns were looked at."""
    if isinstance(value, str):
        return f"'{value}" if is_formula_like(value) else value
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat(timespec="seconds")
    return value


def _written(columns: list[list[Any]], path: Path) -> bytes:
    with open_writer("csv", path) as out:
        out.write(columns)
    return path.read_bytes()


@st.composite
def _chunks(draw: st.DrawFn) -> list[list[Any]]:
    rows = draw(st.integers(min_value=1, max_value=6))
    kinds = [draw(_COLUMN_KINDS) for _name in COLUMNS]
    return [draw(st.lists(kind, min_size=rows, max_size=rows)) for kind in kinds]


@settings(max_examples=300, deadline=None)
@example(chunk=[["+1 (415) 555-0100", "+1\x00=x", "abc\x00=1", "-12.5"]] * len(COLUMNS))
@example(chunk=[["+1\x00abc", "+33 6 12"]] * len(COLUMNS))  # the separator in a cell
@example(chunk=[["+12\n", "-", "", None, 0, False]] * len(COLUMNS))
@example(chunk=[['a "b", c', "x\ry", "=1,2", None]] * len(COLUMNS))
@given(chunk=_chunks())
def test_a_csv_chunk_is_written_as_the_csv_module_wrote_each_cell(
    tmp_path_factory: pytest.TempPathFactory, chunk: list[list[Any]]
) -> None:
    expected = io.StringIO(newline="")
    rows = [
        [_as_the_csv_module_was_given(value) for value in row] for row in zip(*chunk, strict=True)
    ]
    csv.writer(expected).writerows([COLUMNS, *rows])
    path = tmp_path_factory.mktemp("csv") / "leads.csv"
    assert _written(chunk, path) == "\ufeff".encode() + expected.getvalue().encode()


def test_csv_dates_are_utc_to_the_second_whether_naive_or_aware(tmp_path: Path) -> None:
    naive = datetime(2024, 5, 1, 9, 30, 15, 999999)  # as the database keeps them: UTC
    aware = datetime(2024, 5, 1, 11, 30, 15, tzinfo=timezone(timedelta(hours=2)))
    at = COLUMNS.index("created_at")
    for moments in ([naive, naive], [naive, aware], [aware, None]):
        columns: list[list[Any]] = [["x"] * len(moments) for _name in COLUMNS]
        columns[at] = moments
        content = _written(columns, tmp_path / "leads.csv").decode("utf-8-sig")
        written = [row[at] for row in list(csv.reader(io.StringIO(content)))[1:]]
        expected = ["" if m is None else "2024-05-01T09:30:15+00:00" for m in moments]
        assert written == expected


def test_an_xlsx_column_keeps_formulas_as_text_and_drops_what_xml_refuses(
    tmp_path: Path,
) -> None:
    path = tmp_path / "leads.xlsx"
    columns: list[list[Any]] = [list(range(5)) for _name in COLUMNS]
    company, at, value = (COLUMNS.index(name) for name in ("company", "created_at", "value"))
    columns[company] = ["plain", "=1+1", "bell\x07", None, "line\n=no formula"]
    columns[at] = [datetime(2024, 5, 1, 9, 30, tzinfo=UTC)] * 2 + [datetime(2024, 5, 1, 9, 30)] * 3
    columns[value] = [Decimal("2.50"), None, None, None, None]
    with open_writer("xlsx", path) as out:
        out.write(columns)
    sheet = load_workbook(path, read_only=True)["Leads"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)][1:]
    assert [row[company] for row in rows] == [
        "plain", "=1+1", "bell", None, "line\n=no formula",
    ]  # fmt: skip
    assert {row[at] for row in rows} == {datetime(2024, 5, 1, 9, 30)}
    assert rows[0][value] == 2.5

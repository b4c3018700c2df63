"""Reading the Excel/CSV ledgers (台账) communities keep, and reporting rejected rows.

Every importer reads rows with ``read_table`` (or ``open_table``, which also tells which header each column
had in the file), validates each row into a value or ``RowError``s, and returns an ``ImportReport``. Row
numbers are as the user sees them in Excel: with the header in row 1, the first data row is row 2.

Ledgers are messy, so headers are matched leniently: spaces, a required-marker ``*`` and a parenthesised
note (``姓名（必填）``) are ignored, full-width characters count as their half-width forms, ``aliases`` maps
variants to the name the importer uses (``手机号`` → ``联系电话``), and a title row above the header
(``军门社区居民花名册``) is skipped: the header is the first of the first ten rows that holds every
required column.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from .errors import InvalidInput

HEADER_SCAN_ROWS = 10  # how far down a title block may push the header row


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class ImportReport:
    """The answer of every importer.

    ``created`` / ``updated`` / ``unchanged`` count the valid rows by what importing them does; ``committed``
    says whether it was written (False for a dry run, or for an all-or-nothing import with rejected rows).
    ``rejected`` counts rows, ``errors`` lists every problem (a row may have several).
    """

    mode: str  # "all_or_nothing" or "valid_only"
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    committed: bool = False
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "mode": self.mode, "total": self.total, "created": self.created, "updated": self.updated,
            "unchanged": self.unchanged, "rejected": self.rejected, "committed": self.committed,
            "errors": [e.as_dict() for e in self.errors],
        }


MODES = ("all_or_nothing", "valid_only")

_EXACT_FLOAT = 2**53  # above this a float no longer holds every integer: an ID number typed as a number


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < _EXACT_FLOAT:
        value = int(value)
    return str(value).strip()


_NOTE = re.compile(r"[(（][^)）]*[)）]$")


def normalize_header(text: str) -> str:
    """'  姓 名*（必填）' → '姓名'; full-width forms folded (NFKC)."""
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"\s+", "", text).strip("*")
    return _NOTE.sub("", text).strip("*")


@dataclass
class Table:
    """An opened ledger: ``columns`` maps each column name the importer uses to the header as written in the
    file (for reports); ``rows`` yields ``(row_number, {column: text})`` with blank rows skipped."""

    columns: dict[str, str]
    rows: Iterator[tuple[int, dict]]

    def __iter__(self):
        return self.rows


def open_table(source, *, filename: str = "", required: tuple[str, ...] = (),
               aliases: Mapping[str, str] | None = None) -> Table:
    """Open an .xlsx or .csv file (path, bytes or file object) and find its header row.

    Raises InvalidInput (translated, field "file") for an unreadable file or missing required columns.
    """
    name = filename or (str(source) if isinstance(source, str | Path) else getattr(source, "name", ""))
    data = Path(source).read_bytes() if isinstance(source, str | Path) else (
        source if isinstance(source, bytes) else source.read())
    lower = name.lower()
    if data.startswith(b"\xd0\xcf\x11\xe0") or lower.endswith(".xls"):
        raise InvalidInput(_("Old Excel files (.xls) cannot be read: save the file as .xlsx or .csv."),
                           field="file")
    if lower.endswith(".csv") or (not lower.endswith(".xlsx") and not data.startswith(b"PK")):
        rows = _csv_rows(data)
    else:
        rows = _xlsx_rows(data)
    aliases = aliases or {}

    def canonical(header: str) -> str:
        h = normalize_header(header)
        return aliases.get(h, h)

    first: list[str] | None = None
    for number, values in enumerate(rows, start=1):
        cells = [_cell(v) for v in values]
        if not any(cells):
            if number > HEADER_SCAN_ROWS:
                break
            continue
        names = [canonical(c) for c in cells]
        first = first if first is not None else names
        if all(c in names for c in required):
            return _table(cells, names, rows, start=number + 1)
        if number >= HEADER_SCAN_ROWS:
            break
    if first is None:
        raise InvalidInput(_("The file is empty."), field="file")
    missing = [c for c in required if c not in first]
    raise InvalidInput(_("Missing columns: %(columns)s") % {"columns": "、".join(missing)}, field="file")


def _table(cells: list[str], names: list[str], rows, *, start: int) -> Table:
    columns: dict[str, str] = {}
    index: list[tuple[int, str]] = []
    for i, (written, key) in enumerate(zip(cells, names, strict=True)):
        if key and key not in columns:  # a repeated column: the first one counts
            columns[key] = written
            index.append((i, key))

    def generate():
        for number, values in enumerate(rows, start=start):
            row = [_cell(v) for v in values]
            if not any(row):
                continue
            yield number, {key: (row[i] if i < len(row) else "") for i, key in index}

    return Table(columns=columns, rows=generate())


def read_table(source, *, filename: str = "", required: tuple[str, ...] = (),
               aliases: Mapping[str, str] | None = None) -> Iterator[tuple[int, dict]]:
    """Yield ``(row_number, {header: text})`` from an .xlsx or .csv file (path, bytes or file object).

    Raises InvalidInput (translated) for an unreadable file or missing required columns.
    """
    return open_table(source, filename=filename, required=required, aliases=aliases).rows


def _csv_rows(data: bytes):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput(_("The file is neither UTF-8 nor GB18030 text."), field="file")
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    return iter(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook is the same error to the user
        raise InvalidInput(_("The file is not a readable Excel workbook (.xlsx)."), field="file") from None
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()  # some writers (WPS, exports of other systems) store a wrong used range
    return sheet.iter_rows(values_only=True)

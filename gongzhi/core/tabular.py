"""Reading the Excel/CSV ledgers (台账) communities keep, and reporting rejected rows.

Every importer reads rows with ``read_table`` (header row in Chinese, matched after trimming), validates
each row into a value or ``RowError``s, and returns an ``ImportReport``. Row numbers are as the user sees
them in Excel: the header is row 1, the first data row is row 2.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from .errors import InvalidInput


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class ImportReport:
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


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_table(source, *, filename: str = "", required: tuple[str, ...] = ()) -> Iterator[tuple[int, dict]]:
    """Yield ``(row_number, {header: text})`` from an .xlsx or .csv file (path, bytes or file object).

    Raises InvalidInput (translated) for an unreadable file or missing required columns.
    """
    name = filename or (str(source) if isinstance(source, str | Path) else getattr(source, "name", ""))
    data = Path(source).read_bytes() if isinstance(source, str | Path) else (
        source if isinstance(source, bytes) else source.read())
    if name.lower().endswith(".csv") or (not name.lower().endswith(".xlsx") and not data.startswith(b"PK")):
        rows = _csv_rows(data)
    else:
        rows = _xlsx_rows(data)
    try:
        header = [_cell(h) for h in next(rows)]
    except StopIteration:
        raise InvalidInput(_("The file is empty."), field="file") from None
    missing = [c for c in required if c not in header]
    if missing:
        raise InvalidInput(_("Missing columns: %(columns)s") % {"columns": "、".join(missing)}, field="file")
    for number, values in enumerate(rows, start=2):
        cells = [_cell(v) for v in values]
        if not any(cells):
            continue
        yield number, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}


def _csv_rows(data: bytes):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput(_("The file is neither UTF-8 nor GB18030 text."), field="file")
    return iter(csv.reader(io.StringIO(text)))


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook is the same error to the user
        raise InvalidInput(_("The file is not a readable Excel workbook (.xlsx)."), field="file") from None
    return workbook.worksheets[0].iter_rows(values_only=True)

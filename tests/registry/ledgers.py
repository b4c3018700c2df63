"""Building resident ledgers (台账) as the importer reads them: xlsx or csv bytes with Chinese headers."""

import csv
import io

from openpyxl import Workbook

HEADER = ["姓名", "性别", "身份证号", "联系电话", "小区", "楼栋", "单元", "房号", "与户主关系", "标签"]


def xlsx(rows, header=HEADER, *, title: str | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows, header=HEADER, *, encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)

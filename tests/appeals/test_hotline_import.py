import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongzhi.appeals.models import Appeal
from tests.factories.appeals import make_world

pytestmark = pytest.mark.django_db

HEADER = "工单编号,来电时间,诉求内容,地址,联系电话,诉求类型\n"
ROWS = [
    "GD2024050001,2024-05-01 10:20:00,楼下餐馆油烟直排,军门社区3号楼,13812345678,投诉\n",
    "GD2024050002,2024/5/2 9:00,小区树木太高需要修剪,,,建议\n",
    "GD2024050003,2024-05-03,,军门社区,,投诉\n",  # no text
    "GD2024050004,昨天下午,路灯不亮,,,求助\n",  # unreadable time
    "GD2024050005,2024-05-04 08:00,井盖缺失,,12345,求助\n",  # bad phone
    "GD2024050001,2024-05-01 10:20:00,楼下餐馆油烟直排,军门社区3号楼,13812345678,投诉\n",  # repeated
]


@pytest.fixture
def world():
    return make_world()


def write(tmp_path, rows, name="orders.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return str(path)


def run(path, world, *extra):
    report = path + ".report.json"
    call_command(
        "import",
        "hotline",
        path,
        "--unit",
        str(world.tree.community_a.pk),
        "--user",
        "secretary_a",
        "--report",
        report,
        *extra,
    )
    with open(report, encoding="utf-8") as fh:
        return json.load(fh)


def test_bad_rows_reject_the_whole_file_by_default(tmp_path, world):
    path = write(tmp_path, ROWS)

    with pytest.raises(CommandError):
        run(path, world)

    assert Appeal.objects.count() == 0
    with open(path + ".report.json", encoding="utf-8") as fh:
        report = json.load(fh)
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(4, "诉求内容"), (5, "来电时间"), (6, "联系电话")]
    assert (report["committed"], report["rejected"], report["created"]) == (False, 3, 0)


def test_valid_only_imports_good_rows_once_and_is_idempotent(tmp_path, world):
    path = write(tmp_path, ROWS)

    first = run(path, world, "--mode", "valid_only")
    second = run(path, world, "--mode", "valid_only")

    assert (first["created"], first["unchanged"], first["rejected"], first["committed"]) == (2, 1, 3, True)
    assert (second["created"], second["unchanged"], second["rejected"]) == (0, 3, 3)
    fumes = Appeal.objects.get(external_id="GD2024050001")
    assert (fumes.channel, fumes.tier, fumes.status, fumes.contact_phone_masked) == (
        "hotline",
        "government",
        "triaged",
        "138****5678",
    )
    assert fumes.text == "【投诉】楼下餐馆油烟直排"
    assert fumes.created_at.isoformat() == "2024-05-01T02:20:00+00:00"
    assert (fumes.recorded_by.username, fumes.submitted_by) == ("secretary_a", None)
    assert Appeal.objects.filter(channel="hotline").count() == 2


def test_xlsx_and_community_column(tmp_path, world):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["工单编号", "来电时间", "诉求内容", "社区"])
    sheet.append(["X1", "2024-06-01 08:00", "家里洗衣机坏了", "斗池社区"])
    sheet.append(["X2", "2024-06-01 09:00", "路面坑洼", "不存在社区"])
    path = tmp_path / "orders.xlsx"
    book.save(path)
    report = tmp_path / "r.json"

    call_command("import", "hotline", str(path), "--user", "admin1", "--mode", "valid_only", "--report", str(report))

    body = json.loads(report.read_text(encoding="utf-8"))
    assert (body["created"], body["rejected"]) == (1, 1)
    assert body["errors"] == [{"row": 3, "column": "社区", "reason": "No community of this name."}]
    assert Appeal.objects.get(external_id="X1").community == world.tree.community_b


def test_staff_cannot_import_into_another_community(tmp_path, world):
    path = tmp_path / "o.csv"
    path.write_text("工单编号,诉求内容,社区\nY1,路灯不亮,斗池社区\n", encoding="utf-8")

    with pytest.raises(CommandError):
        call_command("import", "hotline", str(path), "--user", "secretary_a")

    assert Appeal.objects.count() == 0

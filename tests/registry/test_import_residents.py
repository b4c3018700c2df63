"""Resident ledger import: validation, both modes, idempotence, updates and moves, permissions, audit."""

import datetime as dt

import pytest
from django.utils import translation

from gongzhi.accounts.enums import Role
from gongzhi.core import crypto
from gongzhi.core.errors import InvalidInput, NotFound
from gongzhi.core.models import AuditEvent
from gongzhi.registry.enums import MoveKind, Relation, ResidentStatus, Tag
from gongzhi.registry.importing import import_residents
from gongzhi.registry.models import Household, Place, Resident, ResidentMove
from gongzhi.registry.services import archive_resident
from tests.factories.accounts import make_user
from tests.factories.registry import id_number, make_household, make_resident, make_tree
from tests.registry.ledgers import HEADER, csv_bytes, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def tree():
    return make_tree()


@pytest.fixture
def secretary(tree):
    return make_user("secretary", Role.SECRETARY, place=tree.community_a)


def run(actor, data, unit, mode="all_or_nothing", filename="ledger.xlsx", **kw):
    return import_residents(actor=actor, source=data, filename=filename, unit=unit, mode=mode, **kw)


def test_valid_ledger_creates_residents_households_tags_moves_and_one_audit_row(tree, secretary):
    wang, li = id_number(dt.date(1950, 3, 1), male=True), id_number(dt.date(1955, 7, 9), male=False)
    data = xlsx([
        ["王建国", "男", wang, "13800000001", "A1小区", "1号楼", "1单元", "301室", "户主", "党员、独居"],
        ["李秀英", "女", li, "", "A1小区", "1栋", "1", "301", "配偶", ""],
    ])

    report = run(secretary, data, tree.community_a)

    assert report.as_dict() == {"mode": "all_or_nothing", "total": 2, "created": 2, "updated": 0,
                                "unchanged": 0, "rejected": 0, "committed": True, "errors": []}
    household = Household.objects.get()
    door = (household.building_id, household.unit_no, household.room_no)
    assert door == (tree.buildings["A1-1"].pk, "1", "301")
    residents = {r.name: r for r in Resident.objects.all()}
    assert residents["王建国"].household_id == household.pk == residents["李秀英"].household_id
    assert (residents["王建国"].relation, residents["李秀英"].relation) == (Relation.HEAD, Relation.SPOUSE)
    assert (residents["王建国"].gender, residents["王建国"].birth_date) == ("male", dt.date(1950, 3, 1))
    assert residents["王建国"].phone_masked == "138****0001"
    assert residents["李秀英"].phone_hash == ""
    assert sorted(residents["王建国"].taggings.values_list("tag", flat=True)) == [Tag.LIVING_ALONE,
                                                                                 Tag.PARTY_MEMBER]
    assert list(ResidentMove.objects.values_list("kind", flat=True)) == [MoveKind.MOVE_IN, MoveKind.MOVE_IN]
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert (event.actor, event.target_id, event.scope_path) == (secretary, str(tree.community_a.pk),
                                                                tree.community_a.path)
    assert event.data == {"kind": "residents", "mode": "all_or_nothing", "total": 2, "created": 2,
                          "updated": 0, "unchanged": 0, "rejected": 0, "committed": True, "places_created": 0}
    assert wang not in str(event.data)
    assert "王建国" not in str(event.data) + event.target_repr


BAD_ROWS_EXPECTED = [
    (3, "身份证号", "ID number check digit is wrong."),
    (4, "性别", "Gender contradicts the ID number, which says 男."),
    (5, "联系电话", "Phone number is not a valid mobile or landline number."),
    (6, "楼栋", "There is no building of this name in A1小区."),
    (7, "与户主关系", "Unknown relation to the head of household: 邻居"),
    (7, "标签", "Unknown tag: 富裕"),
    (8, "身份证号", "The same ID number is already in row 2."),
    (9, "姓名", "This column is required."),
    (10, "小区", "There is no estate of this name in 军门社区."),
    (12, "楼栋", "Several buildings in 军门社区 have this name: fill in the estate (小区)."),
]


def bad_ledger():
    good = id_number(dt.date(1980, 1, 2))
    broken = good[:17] + ("0" if good[17] != "0" else "1")
    return good, xlsx([
        ["张伟", "男", good, "13800000002", "A1小区", "1号楼", "1", "101", "户主", ""],  # row 2: fine
        ["赵六", "男", broken, "", "A1小区", "1号楼", "1", "102", "户主", ""],  # row 3: checksum
        ["钱七", "女", id_number(male=True), "", "A1小区", "1号楼", "1", "103", "户主", ""],  # row 4: gender
        ["孙八", "", id_number(), "12345", "A1小区", "1号楼", "1", "104", "户主", ""],  # row 5: phone
        ["周九", "", id_number(), "", "A1小区", "9号楼", "1", "105", "户主", ""],  # row 6: building
        ["吴十", "", id_number(), "", "A1小区", "1号楼", "1", "106", "邻居", "党员，富裕"],  # row 7
        ["郑一", "男", good, "", "A1小区", "1号楼", "1", "107", "户主", ""],  # row 8: repeated ID
        ["", "", id_number(), "", "A1小区", "1号楼", "1", "108", "户主", ""],  # row 9: no name
        ["冯二", "", id_number(), "", "B1小区", "1号楼", "1", "109", "户主", ""],  # row 10: estate elsewhere
        [None] * 10,  # a blank row is skipped, not reported
        ["褚四", "", id_number(), "", "", "2号楼", "1", "110", "户主", ""],  # row 12: 2号楼 in A1 and A2
        # row 13: fine
        ["陈三", "女", id_number(male=False), "0591-87654321", "A1", "2号楼", "2", "201", "女儿", "低保"],
    ])


def test_all_or_nothing_with_bad_rows_reports_each_and_writes_nothing(tree, secretary):
    make_resident(make_household(tree.buildings["A1-1"]))
    before = (Resident.objects.count(), Household.objects.count(), ResidentMove.objects.count())
    _good, data = bad_ledger()

    report = run(secretary, data, tree.community_a)

    assert [(e.row, e.column, e.reason) for e in report.errors] == BAD_ROWS_EXPECTED
    assert (report.total, report.rejected, report.created, report.committed) == (11, 9, 2, False)
    assert (Resident.objects.count(), Household.objects.count(), ResidentMove.objects.count()) == before
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert (event.data["committed"], event.data["rejected"]) == (False, 9)


def test_valid_only_writes_good_rows_and_reports_bad_ones(tree, secretary):
    good, data = bad_ledger()

    report = run(secretary, data, tree.community_a, mode="valid_only")

    assert [(e.row, e.column, e.reason) for e in report.errors] == BAD_ROWS_EXPECTED
    assert (report.total, report.rejected, report.created, report.committed) == (11, 9, 2, True)
    assert sorted(Resident.objects.values_list("name", flat=True)) == ["张伟", "陈三"]
    chen = Resident.objects.get(name="陈三")
    assert (chen.household.building_id, chen.household.unit_no, chen.household.room_no) == (
        tree.buildings["A1-2"].pk, "2", "201")
    assert chen.relation == Relation.CHILD
    assert chen.phone_masked == "0591-****4321"
    assert Resident.objects.get(name="张伟").id_number_hash == crypto.lookup_hash(good)


def test_dry_run_reports_the_plan_and_writes_nothing(tree, secretary):
    _good, data = bad_ledger()

    report = run(secretary, data, tree.community_a, mode="valid_only", dry_run=True)

    assert (report.created, report.rejected, report.committed) == (2, 9, False)
    assert Resident.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()


def test_reimporting_the_same_file_creates_nothing(tree, secretary):
    data = xlsx([["王建国", "男", id_number(), "13800000001", "A1小区", "1号楼", "1", "301", "户主", "党员"],
                 ["王小明", "男", id_number(dt.date(2010, 1, 1)), "", "A1小区", "1号楼", "1", "301", "子女",
                  ""]])
    run(secretary, data, tree.community_a)
    counts = (Resident.objects.count(), Household.objects.count(), ResidentMove.objects.count())

    again = run(secretary, data, tree.community_a)

    assert (again.created, again.updated, again.unchanged, again.committed) == (0, 0, 2, True)
    assert (Resident.objects.count(), Household.objects.count(), ResidentMove.objects.count()) == counts


def test_reimport_updates_phone_tags_relation_and_records_household_move(tree, secretary):
    household = make_household(tree.buildings["A1-1"], room_no="301")
    resident = make_resident(household, name="王建国", phone="13800000001", tags=[Tag.PARTY_MEMBER])
    number = id_number_of(resident)
    data = xlsx([["王建国", "男", number, "13900000009", "A1小区", "2号楼", "3", "502", "父母",
                  "退役军人、党员"]])

    report = run(secretary, data, tree.community_a)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    resident.refresh_from_db()
    assert resident.household.building_id == tree.buildings["A1-2"].pk
    assert (resident.household.unit_no, resident.household.room_no) == ("3", "502")
    assert resident.path == tree.buildings["A1-2"].path
    assert resident.phone_masked == "139****0009"
    assert resident.relation == Relation.PARENT
    assert sorted(resident.taggings.values_list("tag", flat=True)) == [Tag.PARTY_MEMBER, Tag.VETERAN]
    move = resident.moves.order_by("-id").first()
    assert (move.kind, move.household_id, move.actor) == (MoveKind.TRANSFER, resident.household_id, secretary)


def test_blank_cells_keep_stored_values_and_none_clears_tags(tree, secretary):
    household = make_household(tree.buildings["A1-1"], room_no="301")
    resident = make_resident(household, name="王建国", phone="13800000001", tags=[Tag.PARTY_MEMBER])
    row = ["王建国", "", id_number_of(resident), "", "A1小区", "1号楼", "1", "301", "", ""]

    unchanged = run(secretary, xlsx([row]), tree.community_a)
    row[9] = "无"
    cleared = run(secretary, xlsx([row]), tree.community_a)

    assert (unchanged.unchanged, cleared.updated) == (1, 1)
    resident.refresh_from_db()
    assert resident.phone_masked == "138****0001"
    assert resident.relation == Relation.HEAD
    assert list(resident.taggings.all()) == []


def test_existing_id_under_another_name_is_rejected(tree, secretary):
    resident = make_resident(make_household(tree.buildings["A1-1"]), name="王建国")
    data = xlsx([["王建军", "", id_number_of(resident), "", "A1小区", "2号楼", "1", "101", "户主", ""]])

    report = run(secretary, data, tree.community_a, mode="valid_only")

    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (2, "身份证号", "This ID number is registered to a resident with a different name.")]
    resident.refresh_from_db()
    assert resident.household.building_id == tree.buildings["A1-1"].pk


def test_archived_resident_is_registered_again_with_a_move_in(tree, secretary):
    resident = make_resident(make_household(tree.buildings["A1-1"], room_no="101"), name="王建国")
    archive_resident(actor=secretary, resident=resident, reason="迁往外地")
    data = xlsx([["王建国", "", id_number_of(resident), "", "A1小区", "1号楼", "1", "101", "户主", ""]])

    report = run(secretary, data, tree.community_a)

    resident.refresh_from_db()
    assert (report.updated, resident.status, resident.archived_at) == (1, ResidentStatus.ACTIVE, None)
    assert list(resident.moves.values_list("kind", flat=True)) == [MoveKind.MOVE_IN, MoveKind.MOVE_OUT,
                                                                   MoveKind.MOVE_IN]


def test_grid_worker_cannot_import_into_another_grid_and_nothing_is_written(tree):
    worker = make_user("grid01", Role.GRID_WORKER, place=tree.grid_a1)
    data = xlsx([["王建国", "", id_number(), "", "A2小区", "1号楼", "1", "101", "户主", ""]])

    with pytest.raises(NotFound):
        run(worker, data, tree.grid_a2.pk)

    assert Resident.objects.count() == 0
    assert Household.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()


def test_street_officer_sees_the_community_but_may_not_import(tree):
    from gongzhi.core.errors import Forbidden

    officer = make_user("street", Role.STREET_OFFICER, place=tree.street)
    data = xlsx([["王建国", "", id_number(), "", "A1小区", "1号楼", "1", "101", "户主", ""]])

    with pytest.raises(Forbidden):
        run(officer, data, tree.community_a)

    assert Resident.objects.count() == 0


@pytest.mark.parametrize("name_in_file", ["王建国", "王建军"])  # a different name tells nothing more
def test_grid_worker_cannot_pull_a_resident_registered_in_another_grid(tree, name_in_file):
    worker = make_user("grid01", Role.GRID_WORKER, place=tree.grid_a1)
    elsewhere = make_resident(make_household(tree.buildings["A2-1"]), name="王建国")
    data = xlsx([[name_in_file, "", id_number_of(elsewhere), "", "A1小区", "1号楼", "1", "101", "户主", ""]])

    report = run(worker, data, tree.grid_a1, mode="valid_only")

    assert [(e.row, e.column, e.reason) for e in report.errors] == [(2, "身份证号", (
        "This person is registered in a household outside your area; staff responsible there must move "
        "them out first."))]
    elsewhere.refresh_from_db()
    assert elsewhere.household.building_id == tree.buildings["A2-1"].pk


def test_unknown_places_are_created_only_with_create_places_in_a_grid(tree, secretary):
    worker = make_user("grid01", Role.GRID_WORKER, place=tree.grid_a1)
    rows = [["王建国", "", id_number(), "", "新村", "5幢", "1", "101", "户主", ""],
            ["李四", "", id_number(), "", "A1小区", "7号楼", "", "1", "户主", ""]]

    refused = run(worker, xlsx(rows), tree.grid_a1, mode="valid_only")
    in_community = run(secretary, xlsx(rows), tree.community_a, mode="valid_only", create_places=True)
    created = run(worker, xlsx(rows), tree.grid_a1, create_places=True)

    assert [(e.row, e.column) for e in refused.errors] == [(2, "小区"), (3, "楼栋")]
    assert [(e.row, e.column, e.reason) for e in in_community.errors] == [
        (2, "小区", "A new estate can be created only when importing into a grid.")]
    assert (in_community.created, created.created, created.unchanged, created.committed) == (1, 1, 1, True)
    estate = Place.objects.get(name="新村")
    assert (estate.kind, estate.parent_id) == ("estate", tree.grid_a1.pk)
    assert Place.objects.get(name="5幢").parent_id == estate.pk
    assert Place.objects.get(name="7号楼").parent.name == "A1小区"
    assert [e.data["places_created"] for e in AuditEvent.objects.filter(action="import")] == [2, 1, 0]


def test_headers_variants_title_row_and_building_spellings_are_understood(tree, secretary):
    header = ["序号", "姓名*", "身份证号码", "手机号", "小区名称", "楼号", "单元号", "房间号", "户主关系",
              "人员标签"]
    rows = [[1, "王建国", id_number(), 13800000001, "A1", "一号楼", "一单元", "301", "本人", "空巢老人;高龄"]]

    report = run(secretary, xlsx(rows, header, title="军门社区居民花名册"), tree.community_a)

    assert (report.created, report.errors) == (1, [])
    resident = Resident.objects.get()
    assert (resident.household.building_id, resident.household.unit_no) == (tree.buildings["A1-1"].pk, "1")
    assert resident.phone_masked == "138****0001"
    assert list(resident.taggings.values_list("tag", flat=True)) == [Tag.EMPTY_NESTER]


def test_row_numbers_follow_excel_below_a_title_row(tree, secretary):
    rows = [["王建国", "", "123", "", "A1小区", "1号楼", "1", "301", "户主", ""]]

    report = run(secretary, xlsx(rows, title="花名册"), tree.community_a)

    assert [(e.row, e.column) for e in report.errors] == [(3, "身份证号")]


def test_id_number_typed_as_a_number_is_explained(tree, secretary):
    number = id_number()
    while number.endswith("X") or int(float(number)) == int(number):  # a number Excel's float happens to keep
        number = id_number()
    rows = [["王建国", "", float(number), "", "A1小区", "1号楼", "1", "301", "户主", ""]]

    report = run(secretary, xlsx(rows), tree.community_a)

    assert [e.reason for e in report.errors] == [
        "The ID number was stored as a number and lost its last digits: format the column as text in Excel "
        "and type the number again."]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_csv_in_gb18030_and_utf8_with_bom(tree, secretary, encoding):
    data = csv_bytes([["欧阳娜娜", "女", id_number(male=False), "13800000001", "A1小区", "1号楼", "1", "301",
                       "户主", "残疾"]], encoding=encoding)

    report = run(secretary, data, tree.community_a, filename="台账.csv")

    assert (report.created, report.errors) == (1, [])
    resident = Resident.objects.get()
    assert resident.name == "欧阳娜娜"
    assert list(resident.taggings.values_list("tag", flat=True)) == [Tag.DISABLED]


def test_missing_columns_and_unknown_mode_are_refused(tree, secretary):
    data = xlsx([["王建国", "1号楼"]], header=["姓名", "楼栋"])

    with pytest.raises(InvalidInput) as missing:
        run(secretary, data, tree.community_a)
    with pytest.raises(InvalidInput) as mode:
        run(secretary, xlsx([]), tree.community_a, mode="some")

    assert (str(missing.value), missing.value.field) == ("Missing columns: 身份证号、房号", "file")
    assert mode.value.field == "mode"


def test_header_only_file_imports_nothing(tree, secretary):
    report = run(secretary, xlsx([]), tree.community_a)

    assert (report.total, report.created, report.committed) == (0, 0, True)


def test_birth_date_column_must_agree_with_id(tree, secretary):
    header = [*HEADER, "出生日期"]
    rows = [["王建国", "男", id_number(dt.date(1950, 3, 1)), "", "A1小区", "1号楼", "1", "301", "户主", "",
             "1950年3月1日"],
            ["李四", "男", id_number(dt.date(1950, 3, 1)), "", "A1小区", "1号楼", "1", "302", "户主", "",
             "1951-03-01"]]

    report = run(secretary, xlsx(rows, header), tree.community_a, mode="valid_only")

    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (3, "出生日期", "Birth date contradicts the ID number, which says 1950-03-01.")]


def id_number_of(resident) -> str:
    return crypto.decrypt(resident.id_number_cipher)


def test_xlsx_with_a_wrong_stored_range_is_read_in_full(tree, secretary):
    import io
    import re
    import zipfile

    original = xlsx([["王建国", "男", id_number(), "", "A1小区", "1号楼", "1", "301", "户主", "党员"]])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1"', data)
            dst.writestr(item, data)

    report = run(secretary, out.getvalue(), tree.community_a)

    assert (report.created, report.errors) == (1, [])
    assert list(Resident.objects.get().taggings.values_list("tag", flat=True)) == [Tag.PARTY_MEMBER]

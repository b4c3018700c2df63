"""Resident export to xlsx: masked by default, unmasked only with the right and a reason, always audited."""

import io
import json
import stat
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from gongzhi.accounts.enums import Role
from gongzhi.core import crypto
from gongzhi.core.models import AuditEvent
from gongzhi.registry.enums import Relation, Tag
from gongzhi.registry.importing import import_residents
from tests.factories.accounts import make_user
from tests.factories.registry import make_household, make_resident, make_tree

pytestmark = pytest.mark.django_db

URL = "/api/v1/residents/export"


@pytest.fixture
def tree():
    return make_tree()


@pytest.fixture
def people(tree):
    home = make_household(tree.buildings["A1-1"], room_no="301")
    return {
        "wang": make_resident(home, name="王建国", phone="13800000001", tags=[Tag.PARTY_MEMBER, Tag.LIVING_ALONE]),
        "li": make_resident(home, name="李秀英", male=False, phone="13800000002", relation=Relation.SPOUSE),
        "zhao": make_resident(make_household(tree.buildings["A2-1"], room_no="101"), name="赵六"),
        "other": make_resident(make_household(tree.buildings["B1-1"], room_no="101"), name="钱七"),
    }


def full_id(resident) -> str:
    return crypto.decrypt(resident.id_number_cipher)


def rows_of(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def unzipped(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return "".join(z.read(name).decode("utf-8", "replace") for name in z.namelist())


def test_export_is_masked_by_default_and_audited_without_personal_data(api, tree, people):
    secretary = make_user("secretary", Role.SECRETARY, place=tree.community_a)

    response = api(secretary).get(URL, place=tree.community_a.pk)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Row-Count"] == "3"
    content = response.content
    rows = rows_of(content)
    assert rows[0] == ["姓名", "性别", "出生日期", "身份证号", "联系电话", "社区", "网格", "小区", "楼栋", "单元",
                       "房号", "与户主关系", "标签"]
    wang = people["wang"]
    assert rows[1] == ["王建国", "男", "1980-05-17", wang.id_number_masked, "138****0001", "军门社区", "第A1网格",
                       "A1小区", "1号楼", "1", "301", "户主", "独居、党员"]
    assert [r[0] for r in rows[1:]] == ["王建国", "李秀英", "赵六"]
    xml = unzipped(content)
    for resident in people.values():
        assert full_id(resident) not in xml
    assert "13800000001" not in xml
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.actor, event.target_id, event.reason, event.field) == (secretary, str(tree.community_a.pk),
                                                                         "", "")
    assert event.data == {"kind": "residents", "rows": 3, "unmasked": False, "tag": "",
                          "include_archived": False}


def test_unmasked_export_needs_the_right(api, tree, people):
    admin = make_user("admin", Role.ADMIN)
    officer = make_user("street", Role.STREET_OFFICER, place=tree.street)

    refused = api(admin).get(URL, place=tree.community_a.pk, unmasked="true", reason="核对台账")
    allowed = api(officer).get(URL, place=tree.community_a.pk, unmasked="true", reason="核对台账")

    assert refused.status_code == 403
    assert allowed.status_code == 200
    assert list(AuditEvent.objects.filter(action="export").values_list("actor__username", "reason", "field")) == [
        ("street", "核对台账", "id_number,phone")]
    assert full_id(people["wang"]) in [r[3] for r in rows_of(allowed.content)]


def test_unmasked_export_needs_a_reason(api, tree, people):
    secretary = make_user("secretary", Role.SECRETARY, place=tree.community_a)

    response = api(secretary).get(URL, place=tree.community_a.pk, unmasked="true", reason=" ")

    assert response.status_code == 422
    assert response.json()["field"] == "reason"
    assert not AuditEvent.objects.filter(action="export").exists()


def test_unmasked_export_contains_full_numbers_and_records_the_reason(tree, people):
    from gongzhi.registry.exporting import export_residents

    worker = make_user("worker", Role.COMMUNITY_WORKER, place=tree.community_a)

    export = export_residents(actor=worker, place=tree.community_a, unmasked=True, reason="低保复核")

    rows = rows_of(export.content)
    assert [(r[0], r[3], r[4]) for r in rows[1:]] == [
        ("王建国", full_id(people["wang"]), "13800000001"), ("李秀英", full_id(people["li"]), "13800000002"),
        ("赵六", full_id(people["zhao"]), crypto.decrypt(people["zhao"].phone_cipher))]
    event = AuditEvent.objects.get(action="export")
    assert (event.reason, event.data["unmasked"], event.data["rows"]) == ("低保复核", True, 3)


def test_grid_worker_exports_only_their_grid_and_not_the_community(api, tree, people):
    worker = make_user("grid01", Role.GRID_WORKER, place=tree.grid_a1)

    own = api(worker).get(URL, place=tree.grid_a1.pk)
    community = api(worker).get(URL, place=tree.community_a.pk)
    other = api(worker).get(URL, place=tree.grid_a2.pk)

    assert [r[0] for r in rows_of(own.content)[1:]] == ["王建国", "李秀英"]
    assert (community.status_code, other.status_code) == (404, 404)
    assert AuditEvent.objects.filter(action="export").count() == 1


def test_export_filters_by_tag_and_rejects_unknown_tags(api, tree, people):
    secretary = make_user("secretary", Role.SECRETARY, place=tree.community_a)

    tagged = api(secretary).get(URL, place=tree.community_a.pk, tag=Tag.LIVING_ALONE)
    unknown = api(secretary).get(URL, place=tree.community_a.pk, tag="rich")

    assert [r[0] for r in rows_of(tagged.content)[1:]] == ["王建国"]
    assert (unknown.status_code, unknown.json()["field"]) == (422, "tag")


def test_unmasked_export_can_be_imported_again_unchanged(tree, people):
    secretary = make_user("secretary", Role.SECRETARY, place=tree.community_a)
    from gongzhi.registry.exporting import export_residents

    export = export_residents(actor=secretary, place=tree.community_a, unmasked=True, reason="备份台账")
    report = import_residents(actor=secretary, source=export.content, filename="x.xlsx", unit=tree.community_a)

    assert (report.unchanged, report.created, report.updated, report.rejected) == (3, 0, 0, 0)


def test_cli_export_masked_and_unmasked(tree, people, tmp_path):
    make_user("secretary", Role.SECRETARY, place=tree.community_a)
    masked, unmasked = tmp_path / "masked.xlsx", tmp_path / "full.xlsx"
    out = io.StringIO()

    call_command("export", "residents", unit=str(tree.community_a.pk), out=str(masked), user="secretary",
                 stdout=out)
    call_command("export", "residents", unit=str(tree.community_a.pk), out=str(unmasked), user="secretary",
                 unmasked=True, reason="年度核查", stdout=io.StringIO())

    assert json.loads(out.getvalue()) == {"file": str(masked), "rows": 3, "unmasked": False}
    assert full_id(people["wang"]) not in unzipped(masked.read_bytes())
    assert full_id(people["wang"]) in unzipped(unmasked.read_bytes())
    assert stat.S_IMODE(unmasked.stat().st_mode) == 0o600
    assert list(AuditEvent.objects.filter(action="export").order_by("id").values_list("reason", flat=True)) == [
        "", "年度核查"]


def test_cli_unmasked_export_without_reason_writes_no_file(tree, people, tmp_path):
    make_user("secretary", Role.SECRETARY, place=tree.community_a)
    target = tmp_path / "full.xlsx"

    with translation.override("en"), pytest.raises(CommandError, match="Give the reason"):
        call_command("export", "residents", unit=str(tree.community_a.pk), out=str(target), user="secretary",
                     unmasked=True, stdout=io.StringIO())

    assert not target.exists()
    assert not AuditEvent.objects.filter(action="export").exists()

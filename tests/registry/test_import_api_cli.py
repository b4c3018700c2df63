"""Resident import through the API (POST /api/v1/residents/import) and the CLI (gongzhi import residents)."""

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from gongzhi.accounts.enums import Role
from gongzhi.core.models import AuditEvent
from gongzhi.registry.models import Resident
from tests.factories.accounts import make_user
from tests.factories.registry import id_number, make_tree
from tests.registry.ledgers import csv_bytes, xlsx

pytestmark = pytest.mark.django_db

URL = "/api/v1/residents/import"


@pytest.fixture
def tree():
    return make_tree()


def ledger(bad: bool = False) -> bytes:
    rows = [["王建国", "男", id_number(dt.date(1950, 3, 1)), "13800000001", "A1小区", "1号楼", "1", "301",
             "户主", "独居"]]
    if bad:
        rows.append(["李四", "女", id_number(male=True), "", "A1小区", "1号楼", "1", "302", "户主", ""])
    return xlsx(rows)


def upload(api, user, data: bytes, *, name="台账.xlsx", **fields):
    client = api(user)
    body = {"file": SimpleUploadedFile(name, data), **fields}
    return client.client.post(URL, body, HTTP_ACCEPT_LANGUAGE="en", **client.headers)


def test_api_import_returns_the_report_and_writes(api, tree):
    secretary = make_user("secretary", Role.SECRETARY, place=tree.community_a)

    response = upload(api, secretary, ledger(), unit=tree.community_a.pk, mode="valid_only")

    assert response.status_code == 200
    assert response.json() == {"mode": "valid_only", "total": 1, "created": 1, "updated": 0, "unchanged": 0,
                               "rejected": 0, "committed": True, "errors": []}
    assert Resident.objects.get().name == "王建国"


def test_api_dry_run_reports_rejected_rows_and_writes_nothing(api, tree):
    secretary = make_user("secretary", Role.SECRETARY, place=tree.community_a)

    response = upload(api, secretary, ledger(bad=True), unit=tree.community_a.pk, dry_run="true")

    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["rejected"], body["committed"]) == (1, 1, False)
    assert body["errors"] == [
        {"row": 3, "column": "性别", "reason": "Gender contradicts the ID number, which says 男."}]
    assert Resident.objects.count() == 0


def test_api_reasons_are_in_the_requested_language(api, tree):
    secretary = make_user("secretary", Role.SECRETARY, place=tree.community_a)
    client = api(secretary)
    body = {"file": SimpleUploadedFile("a.xlsx", ledger(bad=True)), "unit": tree.community_a.pk,
            "dry_run": "1"}

    zh = client.client.post(URL, body, HTTP_ACCEPT_LANGUAGE="zh-hans", **client.headers).json()

    with translation.override("zh-hans"):
        expected = translation.gettext("Gender contradicts the ID number, which says %(gender)s.") % {
            "gender": "男"}
    assert zh["errors"][0]["reason"] == expected


def test_api_grid_worker_importing_into_another_grid_is_refused(api, tree):
    worker = make_user("grid01", Role.GRID_WORKER, place=tree.grid_a1)
    data = xlsx([["王建国", "", id_number(), "", "A2小区", "1号楼", "1", "101", "户主", ""]])

    response = upload(api, worker, data, unit=tree.grid_a2.pk)

    assert response.status_code == 404
    assert response.json()["field"] == "unit"
    assert Resident.objects.count() == 0


def test_api_resident_account_may_not_import(api, tree):
    resident_user = make_user("resident01", Role.RESIDENT, place=tree.community_a)

    response = upload(api, resident_user, ledger(), unit=tree.community_a.pk)

    assert response.status_code == 403
    assert Resident.objects.count() == 0


def test_api_rejects_bad_mode_unreadable_file_and_anonymous(api, tree):
    secretary = make_user("secretary", Role.SECRETARY, place=tree.community_a)

    bad_mode = upload(api, secretary, ledger(), unit=tree.community_a.pk, mode="some")
    garbage = upload(api, secretary, b"PK\x03\x04 not a workbook", unit=tree.community_a.pk)
    old_xls = upload(api, secretary, b"\xd0\xcf\x11\xe0rest", name="a.xls", unit=tree.community_a.pk)
    anonymous = upload(api, None, ledger(), unit=tree.community_a.pk)

    assert (bad_mode.status_code, bad_mode.json()["field"]) == (422, "mode")
    assert (garbage.status_code, garbage.json()["field"]) == (422, "file")
    assert garbage.json()["detail"] == "The file is not a readable Excel workbook (.xlsx)."
    assert old_xls.json()["detail"] == (
        "Old Excel files (.xls) cannot be read: save the file as .xlsx or .csv.")
    assert anonymous.status_code == 401
    assert Resident.objects.count() == 0


def test_api_import_of_gb18030_csv(api, tree):
    secretary = make_user("secretary", Role.SECRETARY, place=tree.community_a)
    data = csv_bytes([["刘德华", "男", id_number(), "", "A1小区", "2号楼", "1", "101", "户主", "退役军人"]],
                     encoding="gb18030")

    response = upload(api, secretary, data, name="ledger.csv", unit=tree.community_a.pk)

    assert response.json()["created"] == 1
    assert Resident.objects.get().name == "刘德华"


def test_cli_imports_into_a_unit_and_prints_the_summary(tree, tmp_path):
    make_user("secretary", Role.SECRETARY, place=tree.community_a)
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(ledger())
    out = io.StringIO()

    call_command("import", "residents", str(path), unit=str(tree.community_a.pk), user="secretary",
                 mode="valid_only", stdout=out)

    assert json.loads(out.getvalue()) == {"mode": "valid_only", "total": 1, "created": 1, "updated": 0,
                                          "unchanged": 0, "rejected": 0, "committed": True}
    assert AuditEvent.objects.get(action="import").actor.username == "secretary"


def test_cli_all_or_nothing_with_bad_rows_fails_lists_rows_and_writes_nothing(tree, tmp_path):
    make_user("secretary", Role.SECRETARY, place=tree.community_a)
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(ledger(bad=True))
    report = tmp_path / "report.json"
    err = io.StringIO()

    with translation.override("en"), pytest.raises(CommandError, match="nothing imported"):
        call_command("import", "residents", str(path), unit=tree.community_a.path, user="secretary",
                     report=str(report), stdout=io.StringIO(), stderr=err)

    assert err.getvalue() == "第3行 性别: Gender contradicts the ID number, which says 男.\n"
    assert json.loads(report.read_text())["errors"] == [
        {"row": 3, "column": "性别", "reason": "Gender contradicts the ID number, which says 男."}]
    assert Resident.objects.count() == 0


def test_cli_dry_run_and_create_places_flags(tree, tmp_path):
    make_user("grid01", Role.GRID_WORKER, place=tree.grid_a1)
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(xlsx([["王建国", "", id_number(), "", "新村", "1号楼", "1", "101", "户主", ""]]))
    out = io.StringIO()

    call_command("import", "residents", str(path), unit=str(tree.grid_a1.pk), user="grid01",
                 dry_run=True, create_places=True, stdout=out)

    assert json.loads(out.getvalue())["created"] == 1
    assert Resident.objects.count() == 0


def test_cli_refuses_a_unit_outside_the_users_scope(tree, tmp_path):
    make_user("grid01", Role.GRID_WORKER, place=tree.grid_a1)
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(ledger())

    with translation.override("en"), pytest.raises(CommandError, match="There is no such place"):
        call_command("import", "residents", str(path), unit=str(tree.grid_a2.pk), user="grid01",
                     stdout=io.StringIO())

    assert Resident.objects.count() == 0

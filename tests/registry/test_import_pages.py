"""Console pages at /console/io/: upload → checked report → confirm; export download."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongzhi.accounts.enums import Role
from gongzhi.core import crypto
from gongzhi.core.models import AuditEvent
from gongzhi.registry.models import Resident
from tests.factories.accounts import make_user
from tests.factories.registry import id_number, make_household, make_resident, make_tree
from tests.registry.ledgers import xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return make_tree()


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def good_rows():
    return [["王建国", "男", id_number(dt.date(1950, 3, 1)), "13800000001", "A1小区", "1号楼", "1", "301", "户主",
             "独居"]]


def preview(client, data: bytes, unit, mode="all_or_nothing", **extra):
    return client.post("/console/io/import/", {"file": SimpleUploadedFile("台账.xlsx", data), "unit": unit,
                                               "mode": mode}, **extra)


def test_page_shows_import_and_export_to_registry_staff_only(tree):
    secretary = make_user("secretary", Role.SECRETARY, place=tree.community_a)
    resident = make_user("resident01", Role.RESIDENT, place=tree.community_a)

    page = client_for(secretary).get("/console/io/")
    refused = client_for(resident).get("/console/io/")

    assert page.status_code == 200
    assert b'action="/console/io/import/"' in page.content
    assert b'action="/console/io/export/"' in page.content
    assert refused.status_code == 403


def test_check_then_confirm_imports_exactly_the_checked_file(tree):
    secretary = make_user("secretary", Role.SECRETARY, place=tree.community_a)
    client = client_for(secretary)

    checked = preview(client, xlsx(good_rows()), tree.community_a.pk, HTTP_HX_REQUEST="true")
    token = client.session["registry_io_pending"]["token"]
    assert Resident.objects.count() == 0
    confirmed = client.post("/console/io/import/confirm/", {"token": token}, HTTP_HX_REQUEST="true")

    assert checked.status_code == 200
    assert b"Confirm import" in checked.content
    assert checked.content.lstrip().startswith(b'<section id="import-report"')
    assert confirmed.status_code == 200
    assert b"Imported: 1 added, 0 updated." in confirmed.content
    assert Resident.objects.get().name == "王建国"
    assert "registry_io_pending" not in client.session
    again = client.post("/console/io/import/confirm/", {"token": token})
    assert again.status_code == 422
    assert Resident.objects.count() == 1
    assert AuditEvent.objects.filter(action="import").count() == 1


def test_waiting_file_is_stored_encrypted(tree):
    from django.core.files.storage import default_storage

    secretary = make_user("secretary", Role.SECRETARY, place=tree.community_a)
    client = client_for(secretary)
    rows = good_rows()

    preview(client, xlsx(rows), tree.community_a.pk)

    token = client.session["registry_io_pending"]["token"]
    with default_storage.open(f"imports/{token}.bin", "rb") as fh:
        stored = fh.read()
    assert stored.startswith(b"v1:")
    assert b"PK" not in stored[:10]


def test_bad_rows_all_or_nothing_show_the_row_report_and_offer_no_confirmation(tree):
    secretary = make_user("secretary", Role.SECRETARY, place=tree.community_a)
    rows = [*good_rows(), ["李四", "女", id_number(male=True), "", "A1小区", "1号楼", "1", "302", "户主", ""]]

    response = preview(client_for(secretary), xlsx(rows), tree.community_a.pk)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<td class="num">3</td><td>性别</td><td>Gender contradicts the ID number, which says 男.</td>' in html
    assert "Confirm import" not in html
    assert Resident.objects.count() == 0


def test_bad_rows_valid_only_can_be_confirmed_for_the_good_rows(tree):
    secretary = make_user("secretary", Role.SECRETARY, place=tree.community_a)
    client = client_for(secretary)
    rows = [*good_rows(), ["李四", "女", id_number(male=True), "", "A1小区", "1号楼", "1", "302", "户主", ""]]

    checked = preview(client, xlsx(rows), tree.community_a.pk, mode="valid_only")
    client.post("/console/io/import/confirm/", {"token": client.session["registry_io_pending"]["token"]})

    assert b"1 rejected row will be left out" in checked.content
    assert list(Resident.objects.values_list("name", flat=True)) == ["王建国"]


def test_grid_worker_cannot_choose_another_grid(tree):
    worker = make_user("grid01", Role.GRID_WORKER, place=tree.grid_a1)
    client = client_for(worker)

    page = client.get("/console/io/")
    response = preview(client, xlsx(good_rows()), tree.grid_a2.pk)

    assert f'value="{tree.grid_a1.pk}"'.encode() in page.content
    assert f'value="{tree.grid_a2.pk}"'.encode() not in page.content
    assert response.status_code == 422
    assert "registry_io_pending" not in client.session
    assert Resident.objects.count() == 0


def test_export_button_downloads_masked_xlsx_and_unmasked_needs_a_reason(tree):
    resident = make_resident(make_household(tree.buildings["A1-1"]), name="王建国")
    secretary = make_user("secretary", Role.SECRETARY, place=tree.community_a)
    client = client_for(secretary)

    masked = client.post("/console/io/export/", {"place": tree.community_a.pk})
    no_reason = client.post("/console/io/export/", {"place": tree.community_a.pk, "unmasked": "on"})

    assert masked.status_code == 200
    assert masked["Content-Disposition"].startswith("attachment;")
    with zipfile.ZipFile(io.BytesIO(masked.content)) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist())
    assert resident.id_number_masked in xml
    assert crypto.decrypt(resident.id_number_cipher) not in xml
    assert no_reason.status_code == 422
    assert b"Give the reason for exporting full ID and phone numbers." in no_reason.content
    assert AuditEvent.objects.filter(action="export").count() == 1

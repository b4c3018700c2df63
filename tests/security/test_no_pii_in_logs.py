"""Logs never hold an ID number or phone in clear — not even SQL debug logging with its parameters."""

import datetime as dt
import io
import logging

import pytest
from axes.models import AccessAttempt, AccessLog
from django.db import connection
from django.test import Client

from gongzhi.accounts.enums import Role
from gongzhi.accounts.services import create_user
from gongzhi.core import idcard
from gongzhi.core.errors import InvalidInput
from gongzhi.core.redaction import RedactPersonalData
from gongzhi.registry.importing import import_residents
from gongzhi.registry.services import register_resident
from tests.factories.accounts import make_user
from tests.factories.registry import make_household, make_tree
from tests.security.test_encryption_at_rest import clear_forms

pytestmark = pytest.mark.django_db

NUMBER = idcard.make("350102", dt.date(1958, 4, 4), 71)
PHONE = "13959117733"
IMPORTED_NUMBER = idcard.make("350102", dt.date(1990, 9, 9), 302)
IMPORTED_PHONE = "18905916644"
BAD_NUMBER = "350102199009093021"  # wrong check digit


@pytest.fixture
def sql_logged(caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    forced, connection.force_debug_cursor = connection.force_debug_cursor, True
    yield caplog
    connection.force_debug_cursor = forced


def test_registration_import_search_and_reveal_log_only_ciphertext(api, sql_logged):
    tree = make_tree()
    worker = make_user("grid01", Role.GRID_WORKER, place=tree.grid_a1)
    household = make_household(tree.buildings["A1-1"])
    resident = register_resident(actor=worker, household=household, name="林则徐", id_number=NUMBER, phone=PHONE)
    ledger = "\n".join([
        "姓名,身份证号,联系电话,小区,楼栋,单元,房号",
        f"沈葆桢,{IMPORTED_NUMBER},{IMPORTED_PHONE},A1小区,1号楼,3,501",
        f"错号,{BAD_NUMBER},13800000000,A1小区,1号楼,3,502",
    ]).encode()
    report = import_residents(actor=worker, source=ledger, filename="台账.csv", unit=tree.grid_a1,
                              mode="valid_only")
    client = api(worker)
    found = [client.get("/api/v1/residents", q=q).json()["count"] for q in (NUMBER, PHONE, IMPORTED_NUMBER)]
    revealed = [client.post(f"/api/v1/residents/{resident.pk}/reveal", {"field": f, "reason": "核对信息"}).json()
                for f in ("id_number", "phone")]
    client.get("/api/v1/residents", q=BAD_NUMBER[:-1] + "Y")  # refused input is not logged either

    log = sql_logged.text
    assert (report.created, report.rejected, found) == (1, 1, [1, 1, 1])
    assert [r["value"] for r in revealed] == [NUMBER, PHONE]
    assert 'INSERT INTO "registry_resident"' in log, "SQL debug logging must have been captured"
    assert resident.id_number_hash in log, "the SQL parameters must have been captured"
    assert [v for v in (NUMBER, PHONE, IMPORTED_NUMBER, IMPORTED_PHONE, BAD_NUMBER)
            if clear_forms(v).search(log.encode())] == []


@pytest.fixture
def console_output(sql_logged):
    """What the console handler configured in settings.LOGGING writes, captured."""
    handler = next(h for h in logging.getLogger().handlers if any(isinstance(f, RedactPersonalData)
                                                                  for f in h.filters))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_an_id_number_typed_as_username_is_kept_neither_in_axes_tables_nor_in_the_log(console_output):
    make_user("grid01")
    client = Client()

    for _ in range(2):
        response = client.post("/api/v1/auth/token", {"username": NUMBER, "password": "wrong-password"},
                               content_type="application/json")
        assert response.status_code == 401
    client.post("/api/v1/auth/token", {"username": f" {PHONE} ", "password": "wrong-password"},
                content_type="application/json")

    stored = [a.username for a in AccessAttempt.objects.all()] + [a.username for a in AccessLog.objects.all()]
    assert len(stored) == 2
    assert all(u.startswith("hashed:") for u in stored)
    assert sorted(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == [1, 2]
    output = console_output.getvalue()
    assert f"{NUMBER[:6]}********{NUMBER[-4:]}" in output, "the SQL of the user lookup went through the handler"
    assert [v for v in (NUMBER, PHONE) if clear_forms(v).search(output.encode())] == []


def test_the_filter_masks_numbers_in_message_and_arguments():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "user %s phone %s", (NUMBER, PHONE), None)

    RedactPersonalData().filter(record)

    assert record.getMessage() == f"user {NUMBER[:6]}********{NUMBER[-4:]} phone {PHONE[:3]}****{PHONE[-4:]}"


@pytest.mark.parametrize("username", [NUMBER, PHONE, f"u{PHONE}"])
def test_a_username_may_not_be_an_id_or_phone_number(username):
    with pytest.raises(InvalidInput) as refused:
        create_user(username=username, password=None)

    assert refused.value.field == "username"

"""Encryption at rest: the raw SQLite file (and its write-ahead log) holds no ID number or phone in clear.

A subprocess runs the production settings with GONGZHI_DATA_DIR in a temporary folder — the SQLite file
in WAL mode exactly as an installation writes it — registers residents through the service, imports a
ledger (with bad rows) through the importer, reveals through the service, searches by full ID and phone,
and snapshots the database file and the WAL while the connection is still open. The test then reads the
bytes. Tables are created from the models rather than by replaying every migration, to stay fast; the
columns are the same.
"""

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gongzhi.core import idcard

ROOT = Path(__file__).resolve().parents[2]

REGISTERED = [  # (name, id number, phone) registered one by one
    ("林书豪", idcard.make("350102", dt.date(1961, 3, 14), 37), "13906012345"),
    ("陈若曦", idcard.make("350103", dt.date(1987, 11, 2), 128), "15859104321"),
    ("郑成功", idcard.make("350104", dt.date(1948, 8, 30), 999), "0591-87651234"),
]
IMPORTED = [  # rows of a ledger in valid_only mode
    ("黄道周", idcard.make("350105", dt.date(1972, 1, 9), 55), "18650207788"),
    ("严复", idcard.make("350111", dt.date(1995, 6, 21), 212), "13705918866"),
]
BAD_ID = "350102199001011235"  # wrong check digit: a typo of someone's real number
BAD_PHONE = "1390601234"  # ten digits


SCRIPT = r"""
import json, os, shutil, sys
import django

django.setup()
from django.apps import apps
from django.db import connection

with connection.schema_editor() as editor:
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            editor.create_model(model)

from gongzhi.accounts.enums import Role
from gongzhi.accounts.services import assign_role, create_user
from gongzhi.registry import selectors, services
from gongzhi.registry.importing import import_residents

data = json.loads(os.environ["AT_REST_DATA"])
district = services.create_place(kind="district", name="鼓楼区", code="350102")
street = services.create_place(kind="street", name="东街街道", parent=district)
community = services.create_place(kind="community", name="军门社区", parent=street)
grid = services.create_place(kind="grid", name="第一网格", parent=community)
estate = services.create_place(kind="estate", name="军门小区", parent=grid)
building = services.create_place(kind="building", name="1号楼", parent=estate)
worker = create_user(username="grid01", password="a-long-password-1")
assign_role(user=worker, role=Role.GRID_WORKER, place=grid)

revealed = []
for n, (name, number, phone) in enumerate(data["registered"]):
    household = services.create_household(building=building, room_no=str(101 + n), unit_no="1")
    r = services.register_resident(actor=worker, household=household, name=name, id_number=number, phone=phone)
    revealed.append(services.reveal_resident_field(actor=worker, resident=r, field="id_number", reason="核对"))
    revealed.append(services.reveal_resident_field(actor=worker, resident=r, field="phone", reason="联系"))

rows = ["姓名,身份证号,联系电话,小区,楼栋,单元,房号,与户主关系"]
for n, (name, number, phone) in enumerate(data["imported"]):
    rows.append(f"{name},{number},{phone},军门小区,1号楼,2,{201 + n},户主")
rows.append(f"错号,{data['bad_id']},13800000000,军门小区,1号楼,2,301,户主")
rows.append(f"错电,{data['registered'][0][1][:-1]}0,{data['bad_phone']},军门小区,1号楼,2,302,户主")
report = import_residents(actor=worker, source="\n".join(rows).encode("utf-8"), filename="台账.csv",
                          unit=grid, mode="valid_only")

found = [selectors.search_residents(worker, q=q).count()
         for q in [data["registered"][0][1], data["registered"][1][2]]]

snap = os.environ["AT_REST_SNAPSHOT"]
os.makedirs(snap)
db = connection.settings_dict["NAME"]
for suffix in ("", "-wal"):
    if os.path.exists(str(db) + suffix):
        shutil.copyfile(str(db) + suffix, os.path.join(snap, "db" + suffix))
print(json.dumps({"revealed": revealed, "report": report.as_dict(), "found": found, "db": str(db)}))
connection.close()
"""


def clear_forms(value: str) -> re.Pattern:
    """The value's characters in order, allowing up to 3 non-digit bytes between them: catches the plain
    text, UTF-16 and UTF-32, and the number written with spaces or dashes."""
    between = rb"[^0-9]{0,3}"
    return re.compile(between.join(re.escape(c.encode()) for c in value if c.isalnum()), re.IGNORECASE)


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("gongzhi-data")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "GONGZHI_DATA_KEY"}}
    env.update({
        "DJANGO_SETTINGS_MODULE": "gongzhi.settings", "GONGZHI_DATA_DIR": str(data_dir),
        "AT_REST_SNAPSHOT": str(data_dir / "snapshot"), "GONGZHI_LOG_LEVEL": "WARNING",
        "AT_REST_DATA": json.dumps({"registered": REGISTERED, "imported": IMPORTED, "bad_id": BAD_ID,
                                    "bad_phone": BAD_PHONE}),
    })
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return data_dir, json.loads(done.stdout.strip().splitlines()[-1]), done


def secrets_in_clear():
    values = [v for _, number, phone in REGISTERED + IMPORTED for v in (number, phone)]
    return values + [BAD_ID, BAD_PHONE, REGISTERED[0][1][:-1] + "0"]


def test_the_run_really_stored_revealed_imported_and_found_the_data(installation):
    data_dir, result, _ = installation

    assert result["revealed"] == [v for _, number, phone in REGISTERED for v in (number, phone)]
    assert (result["report"]["created"], result["report"]["rejected"], result["report"]["committed"]) == (
        2, 2, True)
    assert result["found"] == [1, 1]
    assert Path(result["db"]) == data_dir / "gongzhi.sqlite3"


def test_the_raw_database_file_and_wal_hold_no_id_number_or_phone(installation):
    data_dir, _, _ = installation
    files = {"database file": (data_dir / "gongzhi.sqlite3").read_bytes()}
    for path in (data_dir / "snapshot").iterdir():
        files[f"snapshot {path.name}"] = path.read_bytes()
    assert len(files["snapshot db-wal"]) > 100_000, "the open database keeps its recent pages in the WAL"
    assert len(files["database file"]) > 100_000, "closing the connection checkpoints the WAL into the file"

    leaks = [(where, value) for where, raw in files.items() for value in secrets_in_clear()
             if clear_forms(value).search(raw)]

    assert leaks == []


def test_the_check_would_see_a_number_written_in_any_of_those_forms():
    number = REGISTERED[0][1]
    pattern = clear_forms(number)

    assert pattern.search(b"xx" + number.encode() + b"yy")
    assert pattern.search(number.encode("utf-16-le"))
    assert pattern.search(number.encode("utf-32-be"))
    assert pattern.search(f"{number[:6]} {number[6:14]}-{number[14:]}".encode())
    assert not pattern.search(f"{number[:6]}********{number[14:]}".encode())


def test_the_data_key_is_kept_out_of_the_database(installation):
    data_dir, _, _ = installation
    key = (data_dir / "keys" / "data.key").read_text().strip()

    assert oct((data_dir / "keys" / "data.key").stat().st_mode & 0o777) == "0o600"
    assert key.encode() not in (data_dir / "gongzhi.sqlite3").read_bytes()


def test_the_run_logged_no_personal_data(installation):
    _, _, done = installation
    output = ("\n".join(done.stdout.splitlines()[:-1]) + done.stderr).encode()  # the last line: the result

    assert [v for v in secrets_in_clear() if clear_forms(v).search(output)] == []

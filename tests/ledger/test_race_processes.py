"""Real concurrency on SQLite: separate OS processes with the production settings (WAL, BEGIN IMMEDIATE).

The in-memory test database cannot be shared between processes, so this test builds its own file database
in a temporary directory (tables from the models plus the ledger's triggers) and runs tests/ledger/race.py.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ledger.race import open_gate

ROOT = Path(__file__).resolve().parents[2]


def _run(env, *args, timeout=180):
    done = subprocess.run([sys.executable, "-m", "tests.ledger.race", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _spawn(env, *args):
    return subprocess.Popen([sys.executable, "-m", "tests.ledger.race", *map(str, args)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _collect(procs):
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


@pytest.fixture(autouse=True)
def _reset_axes():
    """Overrides the suite's autouse fixture: this module never touches the test database."""


@pytest.fixture(scope="module")
def race_env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("race")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'race.sqlite3'}", "GONGZHI_DATA_DIR": str(tmp),
           "DJANGO_SETTINGS_MODULE": "tests.ledger.race_settings", "PYTHONPATH": str(ROOT)}
    ids = _run(env, "setup")
    return env, ids


def test_processes_overdrawing_and_racing_for_the_last_items_keep_every_invariant(race_env, tmp_path):
    env, ids = race_env
    overdrawers = [_spawn(env, "overdraw", ids["overdraw_account"], 15, tmp_path) for _ in range(2)]
    chunks = [ids["residents"][i::2] for i in range(2)]
    buyers = [_spawn(env, "order", ids["item"], tmp_path, ",".join(map(str, chunk))) for chunk in chunks]
    open_gate(str(tmp_path), workers=4)

    spent = _collect(overdrawers)
    bought = _collect(buyers)
    state = _run(env, "check", ids["overdraw_account"], ids["item"])

    assert [r["errors"] for r in spent + bought] == [[]] * 4
    assert sum(r["ok"] for r in spent) == 10  # 100 points, 30 attempts of 10
    assert sum(r["refused"] for r in spent) == 20
    assert sum(r["ok"] for r in bought) == 10  # 30 residents race for the last 10 items
    assert sum(r["refused"] for r in bought) == 20
    assert state["overdraw_balance"] == 0
    assert state["stock"] == 0
    assert state["orders"] == 10
    assert state["clearing"] == 300
    assert state["household_points"] == 31 * 100 - 100 - 300
    assert state["verify_ok"], state["problems"]

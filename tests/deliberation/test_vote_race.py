"""One vote per household under real concurrency: three OS processes vote for the same households at once.

Husbands, wives and a second round of husbands race on a file database with the production settings;
the unique constraint on the elector must let exactly one vote per household through.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOUSEHOLDS = 15


def _run(env, *args):
    done = subprocess.run([sys.executable, "-m", "tests.deliberation.race", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_processes_voting_for_the_same_households_count_each_once(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}", "GONGZHI_DATA_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "tests.deliberation.race_settings", "PYTHONPATH": str(ROOT)}
    ids = _run(env, "setup", HOUSEHOLDS)
    start = time.time() + 4  # every worker has imported Django by then
    groups = [ids["heads"], ids["spouses"], list(reversed(ids["heads"]))]
    procs = [subprocess.Popen([sys.executable, "-m", "tests.deliberation.race", "vote", str(ids["ballot"]),
                               str(start), ",".join(map(str, g))], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for g in groups]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    state = _run(env, "check", ids["ballot"])

    assert [r["errors"] for r in results] == [[], [], []]
    assert sum(r["ok"] for r in results) == HOUSEHOLDS
    assert sum(r["refused"] for r in results) == 2 * HOUSEHOLDS
    assert state == {"participations": HOUSEHOLDS, "votes": HOUSEHOLDS, "max_per_elector": 1}

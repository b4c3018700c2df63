"""Benchmark: ballots at the scale of Junmen (3,500 households, ~13,000 residents), on SQLite.

Seeds the Junmen profile into a scratch data directory, then times, in one process:

  open-residents   opening a per-resident ballot of the whole community (freezing ~10,000 adult electors)
  open-owners      opening an owners' double-majority ballot of the whole community (~2,800 owner households)
  votes            recording N paper votes through the service (eligibility check, participation, vote)
  tally            computing each result (exact Decimal sums over every elector and vote)

    .venv/bin/python bench/bench_deliberation.py             # 2,000 votes
    .venv/bin/python bench/bench_deliberation.py --votes 500
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path("/tmp/gz-bench-deliberation")  # noqa: S108 - benchmark scratch data, by design


def run(*args: str) -> None:
    env = {**os.environ, "GONGZHI_DATA_DIR": str(DATA), "DJANGO_SETTINGS_MODULE": "gongzhi.settings",
           "GONGZHI_LOG_LEVEL": "WARNING"}
    subprocess.run([sys.executable, "-m", "gongzhi", *args], cwd=ROOT, env=env, check=True,  # noqa: S603 - our CLI
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--votes", type=int, default=2000)
    parser.add_argument("--keep", action="store_true", help="reuse an already seeded scratch directory")
    args = parser.parse_args()
    if not (args.keep and (DATA / "gongzhi.sqlite3").exists()):
        shutil.rmtree(DATA, ignore_errors=True)
        t0 = time.perf_counter()
        run("migrate", "-v0")
        run("seed", "--profile", "junmen")
        print(f"seed: {time.perf_counter() - t0:.1f} s", file=sys.stderr)

    os.environ.update({"GONGZHI_DATA_DIR": str(DATA), "DJANGO_SETTINGS_MODULE": "gongzhi.settings",
                       "GONGZHI_LOG_LEVEL": "WARNING"})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from gongzhi.accounts.models import User
    from gongzhi.deliberation.enums import BallotRule, MatterKind
    from gongzhi.deliberation.errors import AlreadyDone, NotEligible
    from gongzhi.deliberation.models import BallotElector
    from gongzhi.deliberation.selectors import ballot_tally
    from gongzhi.deliberation.services import ballots as services
    from gongzhi.registry.enums import PlaceKind, Relation
    from gongzhi.registry.models import Place, Resident

    community = Place.objects.filter(kind=PlaceKind.COMMUNITY).order_by("path").first()
    staff = User.objects.get(username="secretary")
    result: dict = {"machine": f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"}

    def timed(name, fn):
        t0 = time.perf_counter()
        value = fn()
        result[name] = round(time.perf_counter() - t0, 3)
        return value

    for rule, key in ((BallotRule.PER_RESIDENT, "residents"), (BallotRule.OWNERS_DOUBLE_MAJORITY, "owners")):
        ballot = services.create_ballot(actor=staff, community=community, title=f"bench {key}", question="?",
                                        rule=rule, matter=MatterKind.MAJOR, electorate=[community])
        ballot = timed(f"open_{key}_s", lambda b=ballot: services.open_ballot(actor=staff, ballot=b))
        result[f"electors_{key}"] = BallotElector.objects.filter(ballot=ballot).count()
        if rule == BallotRule.OWNERS_DOUBLE_MAJORITY:
            voters = Resident.objects.filter(community=community, relation=Relation.HEAD,
                                             household__is_owner_occupied=True)
        else:
            voters = Resident.objects.filter(community=community)
        voters = list(voters.order_by("id")[: args.votes])
        cast = 0
        t0 = time.perf_counter()
        for i, resident in enumerate(voters):
            try:
                services.record_vote(actor=staff, ballot=ballot, resident=resident,
                                     choice="yes" if i % 5 else "no", channel="paper")
                cast += 1
            except (AlreadyDone, NotEligible):
                pass
        elapsed = time.perf_counter() - t0
        result[f"votes_{key}"] = cast
        result[f"votes_per_s_{key}"] = round(cast / elapsed, 1)
        tally = timed(f"tally_{key}_s", lambda b=ballot: ballot_tally(b))
        result[f"outcome_{key}"] = tally.outcome
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

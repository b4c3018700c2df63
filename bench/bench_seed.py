"""Seeding benchmark: time to build the city profile with N communities, and rows per second.

    python bench/bench_seed.py --communities 100 --db sqlite
    python bench/bench_seed.py --communities 100 --db postgres

The baseline, measured in the same run, is one community seeded into a fresh database: the ratio
``time(N) / (N × time(1))`` shows whether seeding stays linear as the tables grow. The database is left
seeded for bench_search.py (same data directory / PostgreSQL database).
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import log, machine, prepare_database, seed_city  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--communities", type=int, default=100)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-apps", action="store_true", help="places, people, party, accounts only")
    args = parser.parse_args()

    log(f"machine: {machine()}")
    prepare_database(args.db, args.communities, fresh=True)
    log("baseline: one community")
    one, one_wall = seed_city(args.db, args.communities, seed=args.seed, apps=not args.skip_apps, build=1)
    log(f"{args.communities} communities, into a fresh database")
    prepare_database(args.db, args.communities, fresh=True)
    counts, wall = seed_city(args.db, args.communities, seed=args.seed, apps=not args.skip_apps)

    people = counts["residents"] + counts["archived_residents"]
    rows = counts["households"] + people
    result = {
        "benchmark": "seed", "db": args.db, "communities": counts["communities"], "residents": counts["residents"],
        "households": counts["households"], "wall_seconds": round(wall, 1),
        "seed_seconds": counts["seconds"], "cpu_seconds": counts["cpu_seconds"],
        "baseline_one_community_cpu_seconds": one["cpu_seconds"],
        "residents_per_second": round(people / counts["seconds"]),
        "residents_per_cpu_second": round(people / counts["cpu_seconds"]),
        "rows_per_second": round(rows / counts["seconds"]),
        "baseline_one_community_seconds": one["seconds"],
        "ratio_to_linear": round(counts["seconds"] / (args.communities * one["seconds"]), 2),
        "baseline_wall_seconds": round(one_wall, 1), "apps": not args.skip_apps, "machine": machine(),
    }
    print(f"seeded {result['communities']} communities, {result['residents']:,} residents, "
          f"{result['households']:,} households in {result['seed_seconds']} s "
          f"({result['residents_per_second']:,} residents/s, {result['rows_per_second']:,} household+resident rows/s)")
    print(f"CPU time of the seed process: {counts['cpu_seconds']} s (wall is inflated on a busy machine)")
    print(f"baseline 1 community: {one['seconds']} s ({one['cpu_seconds']} s CPU); "
          f"ratio to linear: {result['ratio_to_linear']}")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""Resident search in-process (no HTTP): count and first page of ``search_residents`` at city scale.

    python bench/bench_search_inprocess.py --db sqlite|postgres [--communities 100] [--repeat 5]

Uses the database bench_seed.py / bench_search.py left (same data directory / PostgreSQL database). For the
wide-scope queries that are hardest for the indexes (1-character name prefixes and pinyin prefixes for a
district and a street officer) it prints the median count and page time over ``--repeat`` runs, beside a
baseline measured in the same process: one resident read by primary key with the same joins. The ratio is
search (count + page) / baseline.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import log, machine, use_environment  # noqa: E402

QUERIES = ["王", "林", "王秀", "zh", "ch", "lxy"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--communities", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    use_environment(args.db, args.communities)
    import django

    django.setup()
    from gongzhi.accounts.models import User
    from gongzhi.registry.models import Resident
    from gongzhi.registry.selectors import search_residents

    log(f"machine: {machine()}")
    some = Resident.objects.order_by("id").values_list("id", flat=True)[:50]
    base = []
    for pk in some:
        t = time.perf_counter()
        Resident.objects.select_related("household__building__parent").get(pk=pk)
        base.append((time.perf_counter() - t) * 1000)
    baseline = statistics.median(base)
    print(f"baseline (one resident by id): {baseline:.2f} ms")
    print("| user | q | count (exact?) | count ms | page ms | × baseline |")
    print("| --- | --- | --- | --- | --- | --- |")
    for username in ("district01", "street"):
        for q in QUERIES:
            counts, pages = [], []
            for _ in range(args.repeat):
                user = User.objects.get(username=username)  # fresh: no cached scope
                t = time.perf_counter()
                qs = search_residents(user, q=q)
                n = qs.count()
                t1 = time.perf_counter()
                qs[0:20]
                t2 = time.perf_counter()
                counts.append((t1 - t) * 1000)
                pages.append((t2 - t1) * 1000)
            c, p = statistics.median(counts), statistics.median(pages)
            exact = "" if qs.count_exact else "+"
            print(f"| {username} | {q} | {n}{exact} | {c:.0f} | {p:.0f} | {(c + p) / baseline:.0f}× |")


if __name__ == "__main__":
    main()

"""Benchmark: importing a 100,000-row resident ledger (xlsx and csv), both modes.

Builds a fresh data directory (SQLite by default, or PostgreSQL with --postgres), one community with enough
buildings, and a ledger of fictitious but valid residents (GB 11643 checksums, mainland mobiles). Then times,
in one process:

  parse-xlsx / parse-csv   reading every row of the file and nothing else (the baseline)
  create    all_or_nothing, xlsx, into an empty registry: every row a new resident
  same      valid_only, csv, the same file again: every row unchanged (idempotence)
  changes   valid_only, csv: 1% bad rows, 5% moved to another household with a new phone, 94% unchanged

and prints rows/s and the ratio of each import to the time it takes merely to parse its file.

    .venv/bin/python bench/bench_import.py                       # SQLite, 100,000 rows
    .venv/bin/python bench/bench_import.py --rows 20000
    .venv/bin/python bench/bench_import.py --postgres            # database gongzhi_bench_import
"""

import argparse
import csv
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = ["姓名", "性别", "身份证号", "联系电话", "小区", "楼栋", "单元", "房号", "与户主关系", "标签"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文"  # noqa: E501
GIVEN = "建国华明英秀兰芳娟敏静丽强磊军洋勇艳杰涛超霞平刚桂英玉梅文辉鹏飞宇浩然子涵欣怡梓轩一诺思雨佳琪志伟海燕春梅金凤淑珍丽华晓东晓明红梅国强德华宏伟"  # noqa: E501
TAGS = ["独居", "残疾", "低保", "困境儿童", "流动人口", "党员", "退役军人", "空巢"]
REGIONS = ["350102", "350103", "350104", "350105", "350111", "350121", "350181", "350128"]
GRIDS, ESTATES_PER_GRID, BUILDINGS_PER_ESTATE = 8, 5, 25  # 1,000 buildings


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--data-dir", help="default: a fresh temporary directory")
    p.add_argument("--postgres", action="store_true", help="use PostgreSQL database gongzhi_bench_import")
    p.add_argument("--pg-url", default="postgresql://gongzhi:gongzhi-dev@localhost/gongzhi_bench_import",
                   help="PostgreSQL URL (with --postgres; the role needs CREATEDB, see scripts/pg-start.sh); "
                        "the database is dropped and created again")
    return p.parse_args()


def setup_environment(args) -> Path:
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="gongzhi-bench-import-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["GONGZHI_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("GONGZHI_LOG_LEVEL", "WARNING")
    if args.postgres:
        recreate_pg_database(args.pg_url)
        os.environ["DATABASE_URL"] = args.pg_url
    else:
        db = data_dir / "gongzhi.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongzhi.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return data_dir


def recreate_pg_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def build_places():
    from gongzhi.accounts.enums import Role
    from gongzhi.accounts.services import assign_role, create_user
    from gongzhi.registry.enums import PlaceKind
    from gongzhi.registry.models import Place
    from gongzhi.registry.services import create_place

    district = create_place(kind=PlaceKind.DISTRICT, name="鼓楼区", code="350102")
    street = create_place(kind=PlaceKind.STREET, name="东街街道", parent=district)
    community = create_place(kind=PlaceKind.COMMUNITY, name="基准社区", parent=street)
    layout = []
    for g in range(GRIDS):
        grid = create_place(kind=PlaceKind.GRID, name=f"第{g + 1}网格", parent=community)
        for e in range(ESTATES_PER_GRID):
            estate = create_place(kind=PlaceKind.ESTATE, name=f"{g + 1}-{e + 1}小区", parent=grid)
            children = [Place(kind=PlaceKind.BUILDING, name=f"{b + 1}号楼", parent=estate,
                              path=estate.path + f"{b + 1:04d}", community_id=community.pk, floors=6)
                        for b in range(BUILDINGS_PER_ESTATE)]
            Place.objects.bulk_create(children)
            layout.append((estate.name, [c.name for c in children]))
    user = create_user(username="bench-secretary", password="bench-password-123", display_name="基准书记")
    assign_role(user=user, role=Role.SECRETARY, place=community)
    return community, user, layout


def make_rows(n: int, layout, rng: random.Random) -> list[list[str]]:
    from gongzhi.core import idcard

    rows, seen = [], set()
    doors = [(estate, building, str(u), f"{f}{r:02d}") for estate, buildings in layout for building in buildings
             for u in (1, 2) for f in range(1, 7) for r in (1, 2)]
    rng.shuffle(doors)
    d = 0
    while len(rows) < n:
        estate, building, unit, room = doors[d % len(doors)]
        d += 1
        surname = rng.choice(SURNAMES)
        for member in range(rng.choice((1, 2, 3, 3, 4))):
            if len(rows) >= n:
                break
            while True:
                birth = dt.date(1935, 1, 1) + dt.timedelta(days=rng.randrange(365 * 85))
                male = rng.random() < 0.5
                seq = rng.randrange(500) * 2 + (1 if male else 0)
                number = idcard.make(rng.choice(REGIONS), birth, seq)
                if number not in seen:
                    seen.add(number)
                    break
            name = (surname if member < 2 or rng.random() < 0.8 else rng.choice(SURNAMES)) + "".join(
                rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
            relation = ("户主", "配偶", "子女", "父母")[member] if member < 4 else "其他"
            tags = "、".join(rng.sample(TAGS, rng.choice((1, 2)))) if rng.random() < 0.12 else ""
            phone = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}" if rng.random() < 0.85 else ""
            rows.append([name, "男" if male else "女", number, phone, estate, building, unit, room, relation, tags])
    return rows


def write_xlsx(rows, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("居民")
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    wb.save(path)


def write_csv(rows, path: Path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)


def changed_rows(rows, layout, rng: random.Random) -> list[list[str]]:
    """1% bad rows (broken checksum, unknown building, contradicting gender, bad phone), 5% moved."""
    out = [list(r) for r in rows]
    n = len(out)
    for i in rng.sample(range(n), n // 100):
        kind = i % 4
        if kind == 0:
            out[i][2] = out[i][2][:17] + ("0" if out[i][2][17] != "0" else "1")
        elif kind == 1:
            out[i][5] = "99号楼"
        elif kind == 2:
            out[i][1] = "女" if out[i][1] == "男" else "男"
        else:
            out[i][3] = "12345"
    for i in rng.sample(range(n), n // 20):
        estate, buildings = rng.choice(layout)
        out[i][4], out[i][5], out[i][6], out[i][7] = estate, rng.choice(buildings), "3", "701"
        out[i][3] = f"139{rng.randrange(10**8):08d}"
    return out


def timed(fn):
    """Wall-clock seconds, CPU seconds of this process, and the result."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - start, time.process_time() - cpu, result


def parse_only(path: Path) -> int:
    from gongzhi.core.tabular import open_table
    from gongzhi.registry.importing import ALIASES, REQUIRED

    table = open_table(path, required=REQUIRED, aliases=ALIASES)
    return sum(1 for _ in table.rows)


def main() -> None:
    args = parse_args()
    t0 = time.perf_counter()
    data_dir = setup_environment(args)
    from django.db import connection
    from django.utils import translation

    from gongzhi.registry.importing import import_residents

    translation.activate("zh-hans")
    rng = random.Random(args.seed)
    community, user, layout = build_places()
    rows = make_rows(args.rows, layout, rng)
    xlsx_path, csv_path, changed_path = (data_dir / "ledger.xlsx", data_dir / "ledger.csv",
                                         data_dir / "ledger-changed.csv")
    write_xlsx(rows, xlsx_path)
    write_csv(rows, csv_path)
    write_csv(changed_rows(rows, layout, rng), changed_path)
    setup_s = time.perf_counter() - t0
    print(f"setup: {connection.vendor}, {len(rows)} rows, files written in {data_dir} ({setup_s:.1f} s)",
          file=sys.stderr)

    results = {}
    parse_xlsx, cpu_xlsx, n = timed(lambda: parse_only(xlsx_path))
    parse_csv, cpu_csv, _ = timed(lambda: parse_only(csv_path))
    results["parse-xlsx"] = {"seconds": parse_xlsx, "cpu_seconds": cpu_xlsx, "rows": n}
    results["parse-csv"] = {"seconds": parse_csv, "cpu_seconds": cpu_csv, "rows": n}
    print(f"parse    xlsx {parse_xlsx:7.1f} s (cpu {cpu_xlsx:.1f} s)   csv {parse_csv:7.1f} s (cpu {cpu_csv:.1f} s)",
          file=sys.stderr)

    def run(label, path, mode, baseline):
        seconds, cpu, report = timed(lambda: import_residents(actor=user, source=path, unit=community, mode=mode))
        body = {k: v for k, v in report.as_dict().items() if k not in ("errors", "mode")}
        results[label] = {"seconds": seconds, "cpu_seconds": cpu, "mode": mode, "file": path.suffix[1:], **body,
                          "rows_per_s": report.total / seconds, "x_parse": seconds / baseline}
        print(f"{label:8} {mode:15} {path.suffix[1:]:4} {seconds:7.1f} s (cpu {cpu:5.1f} s) "
              f"{report.total / seconds:7.0f} rows/s  {seconds / baseline:5.1f}× parse  created={report.created} "
              f"updated={report.updated} unchanged={report.unchanged} rejected={report.rejected}", file=sys.stderr)

    run("create", xlsx_path, "all_or_nothing", parse_xlsx)
    run("same", csv_path, "valid_only", parse_csv)
    run("changes", changed_path, "valid_only", parse_csv)
    print(json.dumps({"database": connection.vendor, "rows": len(rows), "buildings": GRIDS * ESTATES_PER_GRID
                      * BUILDINGS_PER_ESTATE, "results": {k: {kk: round(vv, 3) if isinstance(vv, float) else vv
                                                              for kk, vv in v.items()}
                                                          for k, v in results.items()}}, ensure_ascii=False))


if __name__ == "__main__":
    main()

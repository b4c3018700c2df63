"""Demo data for 数据看板: the shipped star standard (达标创星, 13335 工作法) and the first daily rollup."""

from gongzhi.core.seeding import SeedContext

from .rollup import run_rollup
from .stars import install_standard


def seed_demo(ctx: SeedContext) -> dict:
    standard = install_standard()
    rolled = run_rollup(full=True)
    ctx.log(f"insights: star standard {standard.code}, {rolled['rows']} rollup rows")
    return {"star_indicators": standard.indicators.count(), "rollup_rows": rolled["rows"]}

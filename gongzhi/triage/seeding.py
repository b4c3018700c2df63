"""Demo data for 智能分拨: the shipped model, registered and active (trained once if this machine has none)."""

from gongzhi.core.seeding import SeedContext

from . import services


def seed_demo(ctx: SeedContext) -> dict:
    row = services.ensure_builtin()
    ctx.log(f"triage: {row.key} (held-out macro-F1 {row.metrics.get('macro_f1')})")
    return {"triage_model": row.key}

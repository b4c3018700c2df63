"""日汇总: once the rollup exists the dashboard reads it, and every figure equals the one counted from the cases."""

from io import StringIO

from django.core.management import call_command

from gongzhi.insights import rates
from gongzhi.insights.models import DailyRollup
from gongzhi.insights.rollup import run_rollup
from tests.factories.appeals import submit


def _figures(example, month):
    t = example.tree
    return [rates.summary(p, m) for p in (t.street, t.community_a, t.community_b) for m in (month, "2026-02")]


def test_rollup_gives_the_same_figures(example):
    live = _figures(example, "2026-03")
    out = StringIO()
    call_command("insights", "rollup", "--full", stdout=out)
    assert '"full": true' in out.getvalue()
    # 2 days in A (March 2, 3, 10, 11, 31 → 5 cells) + B (1) + February (1); the withdrawn case is left out
    assert DailyRollup.objects.count() == 7
    assert sum(DailyRollup.objects.values_list("cases", flat=True)) == 7
    assert _figures(example, "2026-03") == live
    assert live[0]["rates"]["score"] is not None


def test_incremental_rollup_picks_up_new_cases(example):
    run_rollup(full=True)
    month = rates.current_month()
    before = rates.summary(example.tree.community_a, month)["rates"]["cases"]
    submit(example)
    submit(example)
    assert rates.summary(example.tree.community_a, month)["rates"]["cases"] == before  # not rolled up yet
    result = run_rollup()
    assert result["full"] is False
    assert result["days"] >= 1
    rolled = rates.summary(example.tree.community_a, month)
    assert rolled["rates"]["cases"] == before + 2
    DailyRollup.objects.all().delete()
    from gongzhi.insights.models import RollupState

    RollupState.objects.all().delete()
    assert rates.summary(example.tree.community_a, month) == rolled


def test_seed_hook_installs_the_standard_and_rolls_up(example):
    import random

    from gongzhi.core.seeding import SeedContext
    from gongzhi.insights.seeding import seed_demo

    out = seed_demo(SeedContext(profile="junmen", rng=random.Random(1), communities=[], log=lambda line: None))
    assert out == {"star_indicators": 20, "rollup_rows": 7}  # 5 groups, 12 leaves, 3 vetoes

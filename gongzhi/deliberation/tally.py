"""计票 — the arithmetic of a ballot's result, exact and free of the database.

Owners' double majority (民法典第二百七十八条): a matter is decided only if owners holding at least two
thirds of the exclusive floor area AND at least two thirds of the owners by number take part; it is
approved if at least three quarters of the participating area AND of the participating owners agree
(major matters: maintenance funds, rebuilding, changing the use of common parts — adding lifts), or
more than half of both (ordinary matters). Residents' meetings (城市居民委员会组织法第十二条) need more than
half of those entitled present, and more than half of those present to agree.

"以上" includes the number itself, "过半数" does not (民法典第一千二百五十九条); each threshold carries
that as ``inclusive``. Comparisons cross-multiply integers and Decimals, so nothing is rounded: a
ratio is only rounded when shown.
"""

import decimal
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .enums import BallotOutcome, BallotRule, Choice, MatterKind

_EXACT = decimal.Context(prec=60, traps=[decimal.Inexact, decimal.InvalidOperation, decimal.Overflow])
_SHOW = Decimal("0.0001")


@dataclass(frozen=True)
class Threshold:
    """A fraction to reach: ``num/den``, reached at equality only if ``inclusive``."""

    num: int
    den: int
    inclusive: bool

    def __post_init__(self):
        if self.den <= 0 or not 0 <= self.num <= self.den:
            raise ValueError("a threshold is a fraction between 0 and 1")

    def reached(self, part: Decimal | int, whole: Decimal | int) -> bool:
        if whole == 0:
            return False
        lhs = _EXACT.multiply(Decimal(part), Decimal(self.den))
        rhs = _EXACT.multiply(Decimal(whole), Decimal(self.num))
        return lhs >= rhs if self.inclusive else lhs > rhs

    def __str__(self) -> str:
        return f"{'≥' if self.inclusive else '>'} {self.num}/{self.den}"


HALF = Threshold(1, 2, inclusive=False)  # 过半数
TWO_THIRDS = Threshold(2, 3, inclusive=True)  # 三分之二以上
THREE_QUARTERS = Threshold(3, 4, inclusive=True)  # 四分之三以上


def default_thresholds(rule: str, matter: str = MatterKind.ORDINARY) -> tuple[Threshold, Threshold]:
    """(quorum, approval) the law sets for a rule and a kind of matter."""
    if rule == BallotRule.OWNERS_DOUBLE_MAJORITY:
        return TWO_THIRDS, THREE_QUARTERS if matter == MatterKind.MAJOR else HALF
    return HALF, HALF


@dataclass(frozen=True)
class Share:
    """How many and (for owners' votes) how much floor area."""

    count: int
    area: Decimal | None = None

    def ratio_of(self, whole: "Share") -> tuple[Decimal | None, Decimal | None]:
        """Shown ratios (rounded to 4 places), by number and by area."""
        by_count = (Decimal(self.count) / Decimal(whole.count)).quantize(_SHOW) if whole.count else None
        by_area = None
        if self.area is not None and whole.area:
            by_area = (self.area / whole.area).quantize(_SHOW)
        return by_count, by_area


def _sum(values: Iterable[Decimal]) -> Decimal:
    total = Decimal("0.00")
    for v in values:
        total = _EXACT.add(total, v)
    return total


@dataclass(frozen=True)
class Tally:
    rule: str
    quorum: Threshold
    approval: Threshold
    eligible: Share
    participating: Share
    yes: Share
    no: Share
    abstain: Share
    quorum_by_count: bool
    quorum_by_area: bool | None  # None when area does not count
    approval_by_count: bool
    approval_by_area: bool | None

    @property
    def weighs_area(self) -> bool:
        return self.rule == BallotRule.OWNERS_DOUBLE_MAJORITY

    @property
    def quorum_met(self) -> bool:
        return self.quorum_by_count and (self.quorum_by_area is not False)

    @property
    def approved(self) -> bool:
        return self.quorum_met and self.approval_by_count and (self.approval_by_area is not False)

    @property
    def outcome(self) -> str:
        if not self.quorum_met:
            return BallotOutcome.NO_QUORUM
        return BallotOutcome.APPROVED if self.approved else BallotOutcome.REJECTED


def compute(
    *,
    rule: str,
    quorum: Threshold,
    approval: Threshold,
    eligible_areas: list[Decimal | None],
    votes: list[tuple[str, Decimal | None]],
) -> Tally:
    """The result of a ballot from its electorate (one area per elector) and its votes (choice, area).

    For owners' votes every elector must have a floor area; for other rules areas are ignored.
    """
    weigh = rule == BallotRule.OWNERS_DOUBLE_MAJORITY
    if weigh and any(a is None for a in eligible_areas):
        raise ValueError("every owner needs a floor area")

    def share(rows: list[Decimal | None]) -> Share:
        return Share(len(rows), _sum(a for a in rows if a is not None) if weigh else None)

    by_choice: dict[str, list[Decimal | None]] = {c: [] for c in Choice.values}
    for choice, area in votes:
        if weigh and area is None:
            raise ValueError("every owner's vote needs a floor area")
        by_choice[choice].append(area)
    eligible = share(eligible_areas)
    participating = share([a for rows in by_choice.values() for a in rows])
    yes, no, abstain = (share(by_choice[c]) for c in (Choice.YES, Choice.NO, Choice.ABSTAIN))
    return Tally(
        rule=rule,
        quorum=quorum,
        approval=approval,
        eligible=eligible,
        participating=participating,
        yes=yes,
        no=no,
        abstain=abstain,
        quorum_by_count=quorum.reached(participating.count, eligible.count),
        quorum_by_area=quorum.reached(participating.area, eligible.area) if weigh else None,
        approval_by_count=approval.reached(yes.count, participating.count),
        approval_by_area=approval.reached(yes.area, participating.area) if weigh else None,
    )

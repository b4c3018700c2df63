"""Owners' double majority and residents' majorities: exact arithmetic against worked examples."""

from decimal import Decimal

import pytest

from gongzhi.deliberation.enums import BallotOutcome, BallotRule, MatterKind
from gongzhi.deliberation.tally import HALF, THREE_QUARTERS, TWO_THIRDS, Threshold, compute, default_thresholds

OWNERS = BallotRule.OWNERS_DOUBLE_MAJORITY
D = Decimal


def owners(eligible, votes, matter=MatterKind.MAJOR):
    quorum, approval = default_thresholds(OWNERS, matter)
    return compute(rule=OWNERS, quorum=quorum, approval=approval, eligible_areas=[D(a) for a in eligible],
                   votes=[(c, D(a)) for c, a in votes])


def test_defaults_follow_civil_code_278():
    assert default_thresholds(OWNERS, MatterKind.MAJOR) == (TWO_THIRDS, THREE_QUARTERS)
    assert default_thresholds(OWNERS, MatterKind.ORDINARY) == (TWO_THIRDS, HALF)
    assert default_thresholds(BallotRule.PER_HOUSEHOLD) == (HALF, HALF)
    assert default_thresholds(BallotRule.PER_RESIDENT) == (HALF, HALF)


@pytest.mark.parametrize(("part", "whole", "expected"), [(2, 3, True), (1999, 3000, False), (2000, 3000, True)])
def test_two_thirds_includes_exactly_two_thirds(part, whole, expected):
    assert TWO_THIRDS.reached(part, whole) is expected


def test_two_thirds_of_an_area_that_does_not_divide_is_exact():
    # 100.00 m² total: two thirds is 66.666…; 66.66 is short and 66.67 is enough. A float or a rounded
    # ratio (0.6667) would get one of them wrong.
    assert TWO_THIRDS.reached(D("66.66"), D("100.00")) is False
    assert TWO_THIRDS.reached(D("66.67"), D("100.00")) is True
    assert TWO_THIRDS.reached(D("200.00"), D("300.00")) is True
    assert TWO_THIRDS.reached(D("199.99"), D("300.00")) is False


def test_three_quarters_at_the_edge():
    assert THREE_QUARTERS.reached(D("75.00"), D("100.00")) is True
    assert THREE_QUARTERS.reached(D("74.99"), D("100.00")) is False
    assert THREE_QUARTERS.reached(3, 4) is True
    assert THREE_QUARTERS.reached(5, 7) is False  # 0.714…


def test_more_than_half_excludes_exactly_half():
    assert HALF.reached(2, 4) is False
    assert HALF.reached(D("50.01"), D("100.00")) is True
    assert HALF.reached(D("50.00"), D("100.00")) is False


def test_nothing_is_reached_of_nothing():
    assert Threshold(0, 1, True).reached(0, 0) is False


def test_lift_vote_approved_at_both_edges():
    # 6 owner households, 600.00 m². 4 vote (4/6 ≥ 2/3 by number; 400.00/600.00 ≥ 2/3 by area);
    # 3 of 4 agree (= 3/4) holding 300.00 of 400.00 m² (= 3/4).
    t = owners(["100.00"] * 6, [("yes", "100.00"), ("yes", "100.00"), ("yes", "100.00"), ("no", "100.00")])
    assert (t.eligible.count, t.eligible.area) == (6, D("600.00"))
    assert (t.participating.count, t.participating.area) == (4, D("400.00"))
    assert (t.yes.count, t.yes.area, t.no.count) == (3, D("300.00"), 1)
    assert (t.quorum_by_count, t.quorum_by_area, t.approval_by_count, t.approval_by_area) == (True, True, True, True)
    assert t.outcome == BallotOutcome.APPROVED


def test_lift_vote_fails_on_area_though_number_agrees():
    # Three small flats say yes, one large flat says no: 3/4 of owners but only 180/300 of the area.
    t = owners(["60.00", "60.00", "60.00", "120.00", "100.00", "100.00"],
               [("yes", "60.00"), ("yes", "60.00"), ("yes", "60.00"), ("no", "120.00")])
    assert t.participating.area == D("300.00")  # 300/500 < 2/3: no quorum by area
    assert t.quorum_by_count is True
    assert t.quorum_by_area is False
    assert t.outcome == BallotOutcome.NO_QUORUM


def test_lift_vote_fails_on_number_though_area_agrees():
    # Quorum met; one large owner and one small say yes, two small say no: area 75.00% but owners 2/4.
    t = owners(["150.00", "50.00", "50.00", "50.00", "50.00"],
               [("yes", "150.00"), ("yes", "50.00"), ("no", "50.00"), ("no", "50.00")])
    assert t.quorum_met is True
    assert t.participating.area == D("300.00")
    assert t.yes.area == D("200.00")
    assert t.approval_by_area is False  # 200/300 < 3/4
    assert t.approval_by_count is False  # 2/4 < 3/4
    t2 = owners(["150.00", "50.00", "50.00", "50.00", "50.00"],
                [("yes", "150.00"), ("no", "50.00"), ("abstain", "50.00"), ("no", "50.00")])
    assert (t2.approval_by_area, t2.approval_by_count, t2.outcome) == (False, False, BallotOutcome.REJECTED)


def test_area_met_number_not():
    t = owners(["300.00", "20.00", "20.00", "20.00"], [("yes", "300.00"), ("no", "20.00"), ("no", "20.00")])
    # quorum: 3/4 owners, 340/360 area; approval: area 300/340 ≥ 3/4 but owners 1/3.
    assert (t.approval_by_area, t.approval_by_count) == (True, False)
    assert t.outcome == BallotOutcome.REJECTED


def test_abstentions_count_as_participating_not_approving():
    t = owners(["100.00"] * 4, [("yes", "100.00"), ("yes", "100.00"), ("yes", "100.00"), ("abstain", "100.00")],
               matter=MatterKind.ORDINARY)
    assert t.participating.count == 4
    assert t.abstain.count == 1
    assert t.outcome == BallotOutcome.APPROVED  # 3/4 > 1/2 both ways
    t = owners(["100.00"] * 4, [("yes", "100.00"), ("yes", "100.00"), ("abstain", "100.00"), ("abstain", "100.00")],
               matter=MatterKind.ORDINARY)
    assert t.outcome == BallotOutcome.REJECTED  # exactly half is not more than half


def test_ratios_are_rounded_only_for_display():
    t = owners(["100.00"] * 3, [("yes", "100.00"), ("yes", "100.00")])
    assert t.participating.ratio_of(t.eligible) == (D("0.6667"), D("0.6667"))
    assert t.quorum_met is True  # 2/3 exactly, although the shown 0.6667 is not the value compared


def test_owner_without_area_is_refused():
    quorum, approval = default_thresholds(OWNERS, MatterKind.MAJOR)
    with pytest.raises(ValueError, match="floor area"):
        compute(rule=OWNERS, quorum=quorum, approval=approval, eligible_areas=[D("1.00"), None], votes=[])


def test_per_household_rule_ignores_area():
    t = compute(rule=BallotRule.PER_HOUSEHOLD, quorum=HALF, approval=HALF, eligible_areas=[None] * 5,
                votes=[("yes", None), ("yes", None), ("no", None)])
    assert (t.eligible.area, t.quorum_by_area, t.approval_by_area) == (None, None, None)
    assert t.outcome == BallotOutcome.APPROVED

"""Ballots: the frozen electorate, eligibility, one vote per voter (by the database), computed results."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongzhi.core.errors import InvalidInput
from gongzhi.deliberation.enums import BallotOutcome, BallotRule, BallotStatus, MatterKind, ProposalStatus
from gongzhi.deliberation.errors import AlreadyDone, IllegalTransition, NotEligible
from gongzhi.deliberation.models import BallotElector, Participation, Vote
from gongzhi.deliberation.services import ballots as ballot_services
from gongzhi.deliberation.services import proposals as proposal_services
from gongzhi.registry.enums import Relation
from tests.factories.deliberation import make_ballot, make_proposal, make_resident_user
from tests.factories.registry import make_household, make_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def building(tree):
    return tree.buildings["A1-1"]


def test_open_freezes_owner_households_with_their_areas(tree, secretary, building):
    for a in ("60.00", "75.50", "90.25"):
        make_resident(make_household(building, area=a))
    rented = make_household(building, area="50.00")
    rented.is_owner_occupied = False
    rented.save()
    make_resident(make_household(tree.buildings["A1-2"], area="99.00"))  # another building: not in the vote

    ballot = make_ballot(secretary, tree.community_a, [building])

    rows = sorted(BallotElector.objects.filter(ballot=ballot).values_list("area", flat=True))
    assert rows == [Decimal("60.00"), Decimal("75.50"), Decimal("90.25")]
    assert ballot.status == BallotStatus.OPEN


def test_owners_vote_refuses_to_open_while_an_area_is_missing(tree, secretary, building):
    make_resident(make_household(building))
    household = make_household(building)
    household.floor_area = None
    household.save()

    with pytest.raises(InvalidInput) as exc:
        make_ballot(secretary, tree.community_a, [building])
    assert exc.value.field == "electorate"
    assert BallotElector.objects.count() == 0


def test_per_resident_electorate_is_adults_living_there(tree, secretary, building):
    household = make_household(building)
    adult = make_resident(household, name="成年")
    make_resident(household, name="孩子", birth=timezone.localdate().replace(year=timezone.localdate().year - 10),
                  relation=Relation.CHILD)
    ballot = make_ballot(secretary, tree.community_a, [tree.community_a], rule=BallotRule.PER_RESIDENT,
                         matter=MatterKind.ORDINARY)
    assert list(BallotElector.objects.filter(ballot=ballot).values_list("resident_id", flat=True)) == [adult.pk]


def test_owner_vote_is_cast_once_per_household(tree, secretary, building):
    _user, head = make_resident_user(building=building)
    spouse = make_resident(head.household, name="配偶", relation=Relation.SPOUSE)
    ballot = make_ballot(secretary, tree.community_a, [building])

    ballot_services.cast_vote(actor=None, ballot=ballot, resident=head, choice="yes")
    with pytest.raises(AlreadyDone):
        ballot_services.cast_vote(actor=None, ballot=ballot, resident=spouse, choice="no")

    assert Participation.objects.filter(ballot=ballot).count() == 1
    assert list(Vote.objects.filter(ballot=ballot).values_list("choice", flat=True)) == ["yes"]


def test_database_refuses_a_second_participation_for_the_same_elector(tree, secretary, building):
    _user, head = make_resident_user(building=building)
    ballot = make_ballot(secretary, tree.community_a, [building])
    first = ballot_services.cast_vote(actor=None, ballot=ballot, resident=head, choice="yes")

    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(ballot=ballot, elector=first.elector, cast_by=head, channel="paper",
                                     cast_at=first.cast_at)
    assert Participation.objects.filter(ballot=ballot).count() == 1


@pytest.mark.parametrize(("relation", "age", "owner", "other_community"), [
    (Relation.TENANT, 40, True, False),  # not the owner's side of the household
    (Relation.HEAD, 16, True, False),  # a minor
    (Relation.HEAD, 40, False, False),  # a rented-out flat is not in the owners' roll
    (Relation.HEAD, 40, True, True),  # lives in another community
])
def test_ineligible_residents_cannot_vote_and_nothing_is_recorded(tree, secretary, building, relation, age, owner,
                                                                  other_community):
    make_resident(make_household(building))  # so the ballot has an electorate
    where = tree.buildings["B1-1"] if other_community else building
    today = timezone.localdate()
    _user, resident = make_resident_user(building=where, relation=relation, owner=owner,
                                         birth=today.replace(year=today.year - age, day=1))
    ballot = make_ballot(secretary, tree.community_a, [building])

    with pytest.raises(NotEligible):
        ballot_services.cast_vote(actor=None, ballot=ballot, resident=resident, choice="yes")
    assert Participation.objects.filter(ballot=ballot).count() == 0
    assert Vote.objects.filter(ballot=ballot).count() == 0


def test_resident_who_moved_in_after_opening_is_not_in_the_frozen_roll(tree, secretary, building):
    make_resident(make_household(building))
    ballot = make_ballot(secretary, tree.community_a, [building])
    _user, newcomer = make_resident_user(building=building)

    with pytest.raises(NotEligible):
        ballot_services.cast_vote(actor=None, ballot=ballot, resident=newcomer, choice="yes")


def test_online_vote_outside_the_window_is_refused(tree, secretary, building):
    _user, head = make_resident_user(building=building)
    ballot = make_ballot(secretary, tree.community_a, [building], online=False)

    with pytest.raises(IllegalTransition):
        ballot_services.cast_vote(actor=None, ballot=ballot, resident=head, choice="yes")
    # the same vote given at the meeting is recorded by staff
    ballot_services.record_vote(actor=secretary, ballot=ballot, resident=head, choice="yes", channel="meeting")
    assert Participation.objects.get(ballot=ballot).recorded_by == secretary


def test_close_computes_the_lift_result_and_decides_the_proposal(tree, secretary, building):
    voters = [make_resident_user(building=building, area=a)[1] for a in ("80.00", "80.00", "80.00", "60.00")]
    make_resident(make_household(building, area="100.00"))  # does not vote
    proposal = make_proposal(tree.community_a, voters[0])
    proposal_services.review_proposal(actor=secretary, proposal=proposal, decision="accept")
    ballot = make_ballot(secretary, tree.community_a, [building], online=False, proposal=proposal)
    for resident, choice in zip(voters, ["yes", "yes", "yes", "no"], strict=True):
        ballot_services.record_vote(actor=secretary, ballot=ballot, resident=resident, choice=choice,
                                    channel="paper")

    result = ballot_services.close_ballot(actor=secretary, ballot=ballot)

    # 4 of 5 owners, 300 of 400 m² took part; 3 of 4 owners with 240 of 300 m² agreed (≥ 3/4 both).
    assert (result.eligible.count, result.eligible.area) == (5, Decimal("400.00"))
    assert (result.participating.count, result.participating.area) == (4, Decimal("300.00"))
    assert (result.yes.count, result.yes.area) == (3, Decimal("240.00"))
    assert result.outcome == BallotOutcome.APPROVED
    ballot.refresh_from_db()
    proposal.refresh_from_db()
    assert (ballot.status, ballot.outcome) == (BallotStatus.CLOSED, BallotOutcome.APPROVED)
    assert proposal.status == ProposalStatus.DECIDED


def test_close_refused_before_the_online_window_ends(tree, secretary, building):
    make_resident(make_household(building))
    ballot = make_ballot(secretary, tree.community_a, [building])
    with pytest.raises(IllegalTransition):
        ballot_services.close_ballot(actor=secretary, ballot=ballot)
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.OPEN


def test_secret_vote_keeps_no_link_to_its_voter(tree, secretary, building):
    _user, head = make_resident_user(building=building)
    ballot = make_ballot(secretary, tree.community_a, [building])
    ballot_services.cast_vote(actor=None, ballot=ballot, resident=head, choice="no")
    vote = Vote.objects.get(ballot=ballot)
    assert vote.participation_id is None
    assert {f.name for f in Vote._meta.concrete_fields} == {"id", "ballot", "choice", "area", "participation"}


# Concurrency across processes: test_vote_race.py (the in-memory test database cannot be shared).

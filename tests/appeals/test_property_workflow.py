"""Random action sequences by random actors never reach an illegal state, and no case closes without a reply."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongzhi.appeals import workflow
from gongzhi.appeals.enums import FINAL_STATUSES, Action, AppealStatus, Rating
from gongzhi.appeals.models import Appeal
from gongzhi.core.errors import DomainError
from tests.factories.appeals import FUMES, make_world, submit

pytestmark = pytest.mark.django_db
S = AppealStatus

ACTORS = ["admin", "street", "secretary_a", "grid_a1", "dept", "other_dept", "resident_a", "resident_b"]
ACTIONS = [a for a in Action.values if a not in (Action.SUBMIT, Action.REMIND)]


def state(appeal):
    appeal.refresh_from_db()
    return ({f.attname: getattr(appeal, f.attname) for f in Appeal._meta.concrete_fields}, appeal.events.count())


def check_invariants(appeal):
    appeal.full_clean(exclude=["idempotency_key"], validate_constraints=False)  # constraints: the DB
    assert appeal.status in S.values
    if appeal.status == S.CLOSED:
        assert appeal.reply
        assert appeal.closed_at
        assert appeal.rating
        assert appeal.responded_in_time is not None
        assert appeal.satisfied is not None
    if appeal.status in (S.REPLIED, S.RATED, S.CLOSED):
        assert appeal.replied_at is not None
        assert appeal.reply
    if appeal.status in FINAL_STATUSES or appeal.status in (S.REPLIED, S.RATED):
        assert appeal.due_at is None
    else:
        assert appeal.due_at is not None
    assert appeal.returns_count <= 2
    assert appeal.reopen_count <= 1
    if appeal.status not in (S.SUBMITTED, S.WITHDRAWN, S.MERGED):
        assert appeal.tier


MAIN_PATH = [Action.TRIAGE, Action.ASSIGN, Action.ACCEPT, Action.START, Action.REPLY, Action.RATE, Action.CLOSE]
# A step is a random move, or (None) "the next move of the main path by whoever may make it", so that
# sequences reach the late statuses often and random detours start from there.
step = st.tuples(
    st.sampled_from([None] * len(ACTIONS) + ACTIONS),
    st.sampled_from(ACTORS),
    st.sampled_from(Rating.values),
    st.sampled_from(["", "处理说明"]),
)


def next_on_path(world, appeal):
    for action in MAIN_PATH:
        if action in workflow.available_actions(appeal) and not (action == Action.TRIAGE and appeal.tier):
            for name in ACTORS:
                if getattr(world, name).has_perm(f"appeals.{action}_appeal", appeal):
                    return action, name
    return None, None


def test_random_action_sequences_keep_every_invariant():
    world = make_world()
    handler = f"department:{world.fumes_department.pk}"

    @settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(steps=st.lists(step, min_size=1, max_size=20))
    def run(steps):
        appeal = submit(world, FUMES)
        master = submit(world, FUMES)
        moves = appeal.events.count()
        for action, who, rating, note in steps:
            if action is None:
                action, who = next_on_path(world, appeal)
                note = note or "处理说明"
                if action is None:
                    continue
            actor = getattr(world, who)
            if not actor.has_perm(f"appeals.{action}_appeal", appeal):
                continue
            legal = action in workflow.available_actions(appeal)
            before = state(appeal)
            try:
                appeal = workflow.transition(
                    appeal,
                    action,
                    actor=actor,
                    note=note,
                    rating=rating,
                    tier="government",
                    category="生态环境",
                    handler=handler,
                    into=master.pk,
                )
            except DomainError:
                assert state(appeal) == before  # refused: nothing changed
                appeal.refresh_from_db()
                continue
            assert legal, (action, before[0]["status"])
            moves += 1
            assert appeal.events.count() == moves
            check_invariants(appeal)
            reached.add(appeal.status)

    reached: set[str] = set()
    run()
    assert {S.CLOSED, S.RATED} <= reached

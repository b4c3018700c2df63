"""Materialised paths: a subtree is one range, and the range never reaches a sibling."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongzhi.core import paths
from gongzhi.core.models import AuditEvent

SEGMENTS = st.integers(min_value=1, max_value=paths.MAX_SIBLINGS).map(paths.segment)
PATHS = st.lists(SEGMENTS, min_size=1, max_size=4).map("".join)


def in_range(candidate: str, path: str) -> bool:
    return path <= candidate < paths.upper_bound(path)


@pytest.mark.parametrize(("path", "bound"), [
    ("0001", "0002"), ("0009", "0010"), ("0099", "0100"), ("9998", "9999"), ("00010001", "00010002"),
    ("00019998", "00019999"), ("99989998", "99989999"),
])
def test_upper_bound_keeps_the_width(path, bound):
    assert paths.upper_bound(path) == bound


def test_siblings_and_their_children_fall_outside_the_range():
    assert in_range("0001", "0001")
    assert in_range("00010001", "0001")
    assert in_range("000100019998", "0001")
    assert not in_range("0002", "0001")
    assert not in_range("00020001", "0001")
    assert not in_range("0001", "00010001")
    assert not in_range("00010002", "00010001")
    assert not in_range("0002", "00010001")


@settings(max_examples=200, deadline=None)
@given(PATHS, PATHS)
def test_range_membership_is_exactly_prefix(path, candidate):
    assert in_range(candidate, path) == candidate.startswith(path)


@pytest.mark.parametrize("n", [0, -1, paths.MAX_SIBLINGS + 1, 10**paths.STEP])
def test_segment_refuses_numbers_that_would_break_the_width(n):
    with pytest.raises(ValueError, match="sibling number out of range"):
        paths.segment(n)


def test_depth_and_ancestors():
    assert paths.depth("000100020003") == 3
    assert paths.ancestors("000100020003") == ["0001", "00010002"]
    assert paths.ancestors("0001") == []


@pytest.mark.django_db
def test_subtree_q_selects_the_subtree_in_the_database():
    for scope in ["0001", "00010001", "000100010001", "00010002", "0002", "00020001", "0010"]:
        AuditEvent.objects.create(action="update", scope_path=scope)

    def found(path, **kwargs):
        return set(AuditEvent.objects.filter(paths.subtree_q("scope_path", path, **kwargs))
                   .values_list("scope_path", flat=True))

    assert found("0001") == {"0001", "00010001", "000100010001", "00010002"}
    assert found("00010001") == {"00010001", "000100010001"}
    assert found("0001", include_self=False) == {"00010001", "000100010001", "00010002"}
    assert found("0002") == {"0002", "00020001"}

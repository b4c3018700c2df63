import pytest

from gongzhi.accounts.enums import Role
from tests.factories.accounts import make_user
from tests.factories.registry import make_tree


@pytest.fixture
def tree(db):
    return make_tree()


@pytest.fixture
def secretary(tree):
    return make_user("secretary_a", Role.SECRETARY, place=tree.community_a)
